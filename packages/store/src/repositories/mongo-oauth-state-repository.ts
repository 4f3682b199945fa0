import type { Model } from 'mongoose';
import {
  FlowcardError,
  storeCodes,
  type NewOAuthState,
  type OAuthState,
  type OAuthStateConsumption,
  type OAuthStateRepository,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { OAuthStateDoc } from '../models/oauth-state-model';

export class MongoOAuthStateRepository implements OAuthStateRepository {
  constructor(private readonly model: Model<OAuthStateDoc>) {}

  async create(state: NewOAuthState): Promise<OAuthState> {
    const doc: OAuthStateDoc = {
      _id: state.hash,
      userId: state.userId,
      sessionId: state.sessionId,
      workspaceId: state.workspaceId,
      provider: state.provider,
      data: { ...(state.data ?? {}) },
      createdAt: state.createdAt,
      expiresAt: state.expiresAt,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_DUPLICATE, {
          entity: 'OAuth state',
          detail: 'same hash',
        });
      }
      throw error;
    }
    return toOAuthState(doc);
  }

  /**
   * Read, then deleteOne by hash: the delete is the atomic step (only one caller sees
   * deletedCount 1), so a state is used at most once even under concurrent callbacks. An expired
   * state is deleted too, so it cannot be retried.
   */
  async consume(hash: string, now: Date): Promise<OAuthStateConsumption> {
    const doc = await this.model.findById(hash).lean<OAuthStateDoc>().exec();
    if (!doc) return { outcome: 'unknown' };
    const { deletedCount } = await this.model.deleteOne({ _id: hash }).exec();
    if (deletedCount !== 1) return { outcome: 'unknown' };
    const state = toOAuthState(doc);
    return now.getTime() >= state.expiresAt.getTime()
      ? { outcome: 'expired', state }
      : { outcome: 'consumed', state };
  }

  async deleteExpired(before: Date): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ expiresAt: { $lt: before } }).exec();
    return deletedCount;
  }
}

function toOAuthState(doc: OAuthStateDoc): OAuthState {
  return {
    hash: doc._id,
    userId: doc.userId,
    sessionId: doc.sessionId,
    workspaceId: doc.workspaceId,
    provider: doc.provider,
    data: { ...(doc.data ?? {}) },
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}
