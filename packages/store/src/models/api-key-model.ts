import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

/** An API key record: the key's prefix id and SHA-256 hash, never the key. */
export interface ApiKeyDoc {
  _id: string;
  userId: string;
  workspaceId: string;
  name: string;
  hash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, default: '' },
    hash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  schemaOptions,
);
apiKeySchema.index({ hash: 1 }, { unique: true });
apiKeySchema.index({ userId: 1, createdAt: 1 });

export function apiKeyModel(connection: Connection): Model<ApiKeyDoc> {
  return defineModel(connection, 'ApiKey', apiKeySchema, 'api_keys');
}
