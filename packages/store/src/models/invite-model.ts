import { Schema, type Connection, type Model } from 'mongoose';
import type { WorkspaceRole } from '@flowcard/engine';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

/** A workspace invitation: the link token's SHA-256, never the token. */
export interface InviteDoc {
  _id: string;
  hash: string;
  workspaceId: string;
  email: string;
  role: WorkspaceRole;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  revokedAt: Date | null;
}

const inviteSchema = new Schema<InviteDoc>(
  {
    _id: { type: String, required: true },
    hash: { type: String, required: true },
    workspaceId: { type: String, required: true },
    email: { type: String, required: true },
    role: { type: String, enum: ['owner', 'admin', 'member'], required: true },
    invitedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    acceptedBy: { type: String, default: null },
    revokedAt: { type: Date, default: null },
  },
  schemaOptions,
);
inviteSchema.index({ hash: 1 }, { unique: true });
inviteSchema.index({ workspaceId: 1, createdAt: -1 });

export function inviteModel(connection: Connection): Model<InviteDoc> {
  return defineModel(connection, 'Invite', inviteSchema, 'invites');
}
