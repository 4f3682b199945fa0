import type { Model } from 'mongoose';
import {
  FlowcardError,
  storeCodes,
  type Invite,
  type InviteRepository,
  type NewInvite,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { InviteDoc } from '../models/invite-model';

export class MongoInviteRepository implements InviteRepository {
  constructor(private readonly model: Model<InviteDoc>) {}

  async create(invite: NewInvite): Promise<Invite> {
    const doc: InviteDoc = {
      _id: invite.id,
      hash: invite.hash,
      workspaceId: invite.workspaceId,
      email: invite.email.trim().toLowerCase(),
      role: invite.role,
      invitedBy: invite.invitedBy,
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_DUPLICATE, {
          entity: 'Invite',
          detail: `id ${invite.id} or same hash`,
        });
      throw error;
    }
    return toInvite(doc);
  }

  async findByHash(hash: string): Promise<Invite | null> {
    const doc = await this.model.findOne({ hash }).lean<InviteDoc>().exec();
    return doc ? toInvite(doc) : null;
  }

  async listByWorkspace(workspaceId: string): Promise<Invite[]> {
    const docs = await this.model
      .find({ workspaceId })
      .sort({ createdAt: -1, _id: -1 })
      .lean<InviteDoc[]>()
      .exec();
    return docs.map(toInvite);
  }

  async markAccepted(id: string, userId: string, at: Date): Promise<boolean> {
    // updateOne with the guard is the atomic step (see version-conflict.ts on findOneAndUpdate).
    const result = await this.model
      .updateOne(
        { _id: id, acceptedAt: null, revokedAt: null },
        { $set: { acceptedAt: at, acceptedBy: userId } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  async revoke(id: string, workspaceId: string, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, workspaceId, acceptedAt: null, revokedAt: null }, { $set: { revokedAt: at } })
      .exec();
    return result.matchedCount === 1;
  }
}

function toInvite(doc: InviteDoc): Invite {
  return {
    id: doc._id,
    hash: doc.hash,
    workspaceId: doc.workspaceId,
    email: doc.email,
    role: doc.role,
    invitedBy: doc.invitedBy,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    acceptedAt: doc.acceptedAt ?? null,
    acceptedBy: doc.acceptedBy ?? null,
    revokedAt: doc.revokedAt ?? null,
  };
}
