import { Schema, type Connection, type Model } from 'mongoose';
import type { ConfigurationStatus, SealedSecrets, SharingMode } from '@flowcard/engine';
import { defineModel } from './define-model';
import { sealedSecretsSchema } from './sealed-secrets-schema';
import { schemaOptions } from './schema-options';

export interface ConfigurationDoc {
  _id: string;
  workspaceId: string;
  connector: string;
  kind: string;
  nickname: string;
  ownerId: string;
  sharing: { mode: SharingMode; userIds: string[] };
  values: Record<string, string | number | boolean | null>;
  secrets: SealedSecrets | null;
  status: ConfigurationStatus;
  expiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  grantedScopes: string[];
  consentAt: Date | null;
  authorizedBy: string | null;
  externalIds: Record<string, string>;
  /**
   * `key=value` for every external id: an indexable, array-equality-queryable mirror of
   * `externalIds` (whose keys vary, so they cannot be indexed one by one).
   */
  externalIdIndex: string[];
  lastUsedAt: Date | null;
  remindersSent: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const configurationSchema = new Schema<ConfigurationDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    connector: { type: String, required: true },
    kind: { type: String, required: true },
    nickname: { type: String, required: true },
    ownerId: { type: String, required: true },
    sharing: {
      type: new Schema(
        {
          mode: { type: String, enum: ['private', 'workspace', 'users'], required: true },
          userIds: { type: [String], default: [] },
        },
        { _id: false, versionKey: false },
      ),
      required: true,
    },
    values: { type: Schema.Types.Mixed, default: {} },
    secrets: { type: sealedSecretsSchema, default: null },
    status: {
      type: String,
      enum: ['active', 'expiring', 'expired', 'needs_reauth', 'revoked'],
      required: true,
    },
    expiresAt: { type: Date, default: null },
    dataAccessExpiresAt: { type: Date, default: null },
    grantedScopes: { type: [String], default: [] },
    consentAt: { type: Date, default: null },
    authorizedBy: { type: String, default: null },
    externalIds: { type: Schema.Types.Mixed, default: {} },
    externalIdIndex: { type: [String], default: [] },
    lastUsedAt: { type: Date, default: null },
    remindersSent: { type: [String], default: [] },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
// docs/architecture.md §4: nickname unique per workspace + connector + owner.
configurationSchema.index({ workspaceId: 1, connector: 1, ownerId: 1, nickname: 1 }, { unique: true });
// listUsableBy: the three branches of its $or.
configurationSchema.index({ workspaceId: 1, ownerId: 1 });
configurationSchema.index({ workspaceId: 1, 'sharing.mode': 1 });
configurationSchema.index({ workspaceId: 1, 'sharing.userIds': 1 });
configurationSchema.index({ externalIdIndex: 1 });
// Lifecycle scheduler.
configurationSchema.index({ status: 1, expiresAt: 1 });
configurationSchema.index({ status: 1, dataAccessExpiresAt: 1 });
// Key rotation.
configurationSchema.index({ 'secrets.keyId': 1 });

export function configurationModel(connection: Connection): Model<ConfigurationDoc> {
  return defineModel(connection, 'Configuration', configurationSchema, 'configurations');
}
