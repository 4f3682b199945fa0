import { Schema, type Connection, type Model } from 'mongoose';
import type { ConnectorLifecycleState } from '@flowcard/engine';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

/**
 * A published connector version. Manifest and card specs are JSON text: they are JSON Schema
 * documents full of `$ref`/`$schema` keys that MongoDB does not accept as field names everywhere.
 */
export interface RegistryEntryDoc {
  _id: string;
  name: string;
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string | null;
  /** 1 for a release, 0 for a pre-release: a release sorts above its pre-releases. */
  releaseRank: number;
  manifestJson: string;
  cards: { key: string; specJson: string }[];
  handlers: { path: string; source: string }[];
  contentHash: string;
  lifecycle: ConnectorLifecycleState;
  publishedAt: Date;
  publishedBy: string | null;
  /** The workspace that published it for itself; null: a deployment connector every workspace sees. */
  workspaceId?: string | null;
  /** JSON text of the LifecycleSpec set after publishing (setLifecycle), or null: the manifest's applies. */
  lifecycleOverrideJson?: string | null;
  lifecycleChangedAt?: Date | null;
}

const registryEntrySchema = new Schema<RegistryEntryDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    version: { type: String, required: true },
    major: { type: Number, required: true },
    minor: { type: Number, required: true },
    patch: { type: Number, required: true },
    prerelease: { type: String, default: null },
    releaseRank: { type: Number, required: true },
    manifestJson: { type: String, required: true },
    cards: {
      type: [new Schema({ key: String, specJson: String }, { _id: false, versionKey: false })],
      default: [],
    },
    handlers: {
      type: [new Schema({ path: String, source: String }, { _id: false, versionKey: false })],
      default: [],
    },
    contentHash: { type: String, required: true },
    lifecycle: { type: String, enum: ['active', 'deprecated', 'sunset'], required: true },
    publishedAt: { type: Date, required: true },
    publishedBy: { type: String, default: null },
    workspaceId: { type: String, default: null },
    lifecycleOverrideJson: { type: String, default: null },
    lifecycleChangedAt: { type: Date, default: null },
  },
  schemaOptions,
);
registryEntrySchema.index({ name: 1, version: 1 }, { unique: true });
registryEntrySchema.index({ name: 1, major: -1, minor: -1, patch: -1, releaseRank: -1 });
registryEntrySchema.index({ publishedAt: 1, _id: 1 });
registryEntrySchema.index({ lifecycleChangedAt: 1, _id: 1 });

export function registryEntryModel(connection: Connection): Model<RegistryEntryDoc> {
  return defineModel(connection, 'RegistryEntry', registryEntrySchema, 'connector_registry');
}
