import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from '../models/define-model';
import { schemaOptions } from '../models/schema-options';

/** A flow's poll cursor: `_id` = the flow id, so the lookup by flow is the primary key. */
export interface TriggerStateDoc {
  _id: string;
  cursor: number | null;
  updatedAt: Date;
}

const triggerStateSchema = new Schema<TriggerStateDoc>(
  {
    _id: { type: String, required: true },
    cursor: { type: Number, default: null },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);

export function triggerStateModel(connection: Connection): Model<TriggerStateDoc> {
  return defineModel(connection, 'TriggerState', triggerStateSchema, 'trigger_states');
}

/**
 * One document per (flow, dedupe key) that started a run. Separate documents rather than an array
 * on the state: a busy form claims thousands of leads, and `$addToSet` is outside the subset.
 */
export interface ClaimedTriggerKeyDoc {
  _id: string;
  flowId: string;
  key: string;
  claimedAt: Date;
}

const claimedTriggerKeySchema = new Schema<ClaimedTriggerKeyDoc>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true },
    key: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  schemaOptions,
);
// The claim itself: one document per flow and key, whoever writes first. Also serves deleteFlow.
claimedTriggerKeySchema.index({ flowId: 1, key: 1 }, { unique: true });

export function claimedTriggerKeyModel(connection: Connection): Model<ClaimedTriggerKeyDoc> {
  return defineModel(connection, 'ClaimedTriggerKey', claimedTriggerKeySchema, 'trigger_claimed_keys');
}
