import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

/** `_id` is the state's hash, so consuming is one deleteOne by _id. */
export interface OAuthStateDoc {
  _id: string;
  userId: string;
  sessionId: string;
  workspaceId: string;
  provider: string;
  data: Record<string, string>;
  createdAt: Date;
  expiresAt: Date;
}

const oauthStateSchema = new Schema<OAuthStateDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    sessionId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    provider: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  schemaOptions,
);
// Plain index, deliberately not TTL: a TTL monitor could delete a state before its user comes
// back, turning "The connection link expired." into "Security check failed.". deleteExpired()
// cleans up instead.
oauthStateSchema.index({ expiresAt: 1 });

export function oauthStateModel(connection: Connection): Model<OAuthStateDoc> {
  return defineModel(connection, 'OAuthState', oauthStateSchema, 'oauth_states');
}
