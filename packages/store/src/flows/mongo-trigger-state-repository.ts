import type { Model } from 'mongoose';
import type { TriggerState, TriggerStateRepository } from '@flowcard/engine';
import { hasDuplicateKey } from './has-duplicate-key';
import type { TriggerStateDoc } from './trigger-state-model';

export class MongoTriggerStateRepository implements TriggerStateRepository {
  constructor(private readonly states: Model<TriggerStateDoc>) {}

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

  async deleteFlow(flowId: string): Promise<void> {
    await this.states.deleteOne({ _id: flowId }).exec();
  }
}
