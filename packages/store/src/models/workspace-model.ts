import { Schema, type Connection, type Model } from 'mongoose';
import type { SealedSecrets } from '@flowcard/engine';
import { defineModel } from './define-model';
import { sealedSecretsSchema } from './sealed-secrets-schema';
import { schemaOptions } from './schema-options';

export interface WorkspaceDoc {
  _id: string;
  name: string;
  metaApp: { appId: string; appSecret: SealedSecrets; updatedAt: Date; updatedBy: string } | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const metaAppSchema = new Schema(
  {
    appId: { type: String, required: true },
    appSecret: { type: sealedSecretsSchema, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { _id: false, versionKey: false },
);

const workspaceSchema = new Schema<WorkspaceDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    metaApp: { type: metaAppSchema, default: null },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
workspaceSchema.index({ createdAt: 1, _id: 1 });
// Key rotation looks for app secrets not under the current key.
workspaceSchema.index({ 'metaApp.appSecret.keyId': 1 });

export function workspaceModel(connection: Connection): Model<WorkspaceDoc> {
  return defineModel(connection, 'Workspace', workspaceSchema, 'workspaces');
}
