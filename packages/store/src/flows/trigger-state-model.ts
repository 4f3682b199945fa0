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
