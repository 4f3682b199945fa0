import type { AnyBulkWriteOperation, Model } from 'mongoose';
import type { TriggerState, TriggerStateRepository } from '@flowcard/engine';
import { newId } from '../new-id';
import { hasDuplicateKey } from './has-duplicate-key';
import type { ClaimedTriggerKeyDoc, TriggerStateDoc } from './trigger-state-model';

export class MongoTriggerStateRepository implements TriggerStateRepository {
  constructor(
    private readonly states: Model<TriggerStateDoc>,
    private readonly claimedKeys: Model<ClaimedTriggerKeyDoc>,
  ) {}

  async getState(flowId: string): Promise<TriggerState | null> {
    const doc = await this.states.findById(flowId).lean<TriggerStateDoc>().exec();
    return doc ? { flowId: doc._id, cursor: doc.cursor ?? null, updatedAt: doc.updatedAt } : null;
  }

  /**
   * A guarded upsert (`$max` is outside the jongodb subset): it applies only while the stored cursor
   * is older. When it is as new or newer the upsert turns into an insert the `_id` index refuses,
   * which means there is nothing to do, unless another poller created the state meanwhile: the
   * guarded update without upsert settles both cases.
   */
  async advanceCursor(flowId: string, cursor: number, at: Date): Promise<void> {
    const olderThanThis = { _id: flowId, $or: [{ cursor: null }, { cursor: { $lt: cursor } }] };
    const update = { $set: { cursor, updatedAt: at } };
    try {
      await this.states.updateOne(olderThanThis, update, { upsert: true }).exec();
    } catch (error) {
      if (!hasDuplicateKey(error)) throw error;
      await this.states.updateOne(olderThanThis, update).exec();
    }
  }

  /**
   * One bulkWrite of `$setOnInsert` upserts on the unique (flowId, key) index: the server reports
   * which of them inserted, and only the caller whose upsert inserted owns the key. Concurrent
   * claims of one key never fail with a duplicate key: jongodb applies writes one at a time, and
   * MongoDB retries an upsert that collides on the unique index its filter names by equality.
   */
  async claimKeys(flowId: string, keys: readonly string[], at: Date): Promise<string[]> {
    const unseen = [...new Set(keys)];
    if (unseen.length === 0) return [];
    const result = await this.claimedKeys.bulkWrite(
      unseen.map((key): AnyBulkWriteOperation<ClaimedTriggerKeyDoc> => ({
        updateOne: {
          filter: { flowId, key },
          update: { $setOnInsert: { _id: newId(), claimedAt: at } },
          upsert: true,
        },
      })),
    );
    const inserted = new Set(Object.keys(result.upsertedIds).map(Number));
    return unseen.filter((_, index) => inserted.has(index));
  }

  async releaseKeys(flowId: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.claimedKeys.deleteMany({ flowId, key: { $in: [...keys] } }).exec();
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.states.deleteOne({ _id: flowId }).exec();
    // The flow is gone and its id is never reused: its claims would only be dead weight.
    await this.claimedKeys.deleteMany({ flowId }).exec();
  }
}
