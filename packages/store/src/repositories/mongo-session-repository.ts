import type { Model } from 'mongoose';
import {
  FlowcardError,
  storeCodes,
  type NewSession,
  type Session,
  type SessionRepository,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { SessionDoc } from '../models/session-model';

export class MongoSessionRepository implements SessionRepository {
  constructor(private readonly model: Model<SessionDoc>) {}

  async create(session: NewSession): Promise<Session> {
    const doc: SessionDoc = {
      _id: session.hash,
      id: session.id,
      userId: session.userId,
      workspaceId: session.workspaceId,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt ?? session.createdAt,
      expiresAt: session.expiresAt,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_DUPLICATE, {
          entity: 'Session',
          detail: 'same hash',
        });
      throw error;
    }
    return toSession(doc);
  }

  async findByHash(hash: string): Promise<Session | null> {
    const doc = await this.model.findById(hash).lean<SessionDoc>().exec();
    return doc ? toSession(doc) : null;
  }

  async touch(hash: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: hash, lastSeenAt: { $lt: at } }, { $set: { lastSeenAt: at } }).exec();
  }

  async delete(hash: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ _id: hash }).exec();
    return deletedCount === 1;
  }

  async deleteByUser(userId: string, workspaceId?: string): Promise<number> {
    const { deletedCount } = await this.model
      .deleteMany(workspaceId === undefined ? { userId } : { userId, workspaceId })
      .exec();
    return deletedCount;
  }

  async deleteExpired(now: Date, idleBefore: Date): Promise<number> {
    const absolute = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    const idle = await this.model.deleteMany({ lastSeenAt: { $lt: idleBefore } }).exec();
    return absolute.deletedCount + idle.deletedCount;
  }
}

function toSession(doc: SessionDoc): Session {
  return {
    hash: doc._id,
    id: doc.id,
    userId: doc.userId,
    workspaceId: doc.workspaceId,
    createdAt: doc.createdAt,
    lastSeenAt: doc.lastSeenAt,
    expiresAt: doc.expiresAt,
  };
}
