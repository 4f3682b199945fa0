import { Schema, type Connection, type Model } from 'mongoose';
import type { WorkspaceRole } from '@flowcard/engine';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

export interface UserDoc {
  _id: string;
  email: string;
  name: string;
  /** Written whole with a version check (no $push/$pull: docs/architecture.md §8). */
  memberships: { workspaceId: string; role: WorkspaceRole }[];
  /** scrypt hash string (password-hasher in the runtime); never leaves the repository but by findPasswordHash. */
  passwordHash?: string | null;
  lastSeenAt?: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, default: '' },
    memberships: {
      type: [
        new Schema(
          {
            workspaceId: { type: String, required: true },
            role: { type: String, enum: ['owner', 'admin', 'member'], required: true },
          },
          { _id: false, versionKey: false },
        ),
      ],
      default: [],
    },
    passwordHash: { type: String, default: null },
    lastSeenAt: { type: Date, default: null },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ 'memberships.workspaceId': 1 });

export function userModel(connection: Connection): Model<UserDoc> {
  return defineModel(connection, 'User', userSchema, 'users');
}
