import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

/** A browser session: `_id` is the SHA-256 of the cookie token, so a lookup is one read by _id. */
export interface SessionDoc {
  _id: string;
  id: string;
  userId: string;
  workspaceId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    userId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  schemaOptions,
);
sessionSchema.index({ userId: 1, workspaceId: 1 });
// Plain indexes, not TTL: expiry is decided by the runtime's clock (idle and absolute), and the
// housekeeping sweep deletes what is over.
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ lastSeenAt: 1 });

export function sessionModel(connection: Connection): Model<SessionDoc> {
  return defineModel(connection, 'Session', sessionSchema, 'sessions');
}
