import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from '../models/define-model';
import { schemaOptions } from '../models/schema-options';

export interface FlowDoc {
  _id: string;
  workspaceId: string;
  ownerId: string;
  /** The FlowSpec as JSON text: step inputs are free-form and may hold `$`/dotted keys. */
  specJson: string;
  /**
   * Every configuration the spec uses (trigger and steps): the queryable mirror of the JSON text,
   * kept in step with it by every write of the spec.
   */
  configurationIds: string[];
  enabled: boolean;
  triggerKey: string | null;
  version: number;
  /** The FlowPause as JSON text; null when the flow is not paused. */
  pausedJson?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const flowSchema = new Schema<FlowDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    ownerId: { type: String, required: true },
    specJson: { type: String, required: true },
    configurationIds: { type: [String], default: [] },
    enabled: { type: Boolean, required: true },
    triggerKey: { type: String, default: null },
    version: { type: Number, required: true },
    pausedJson: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  schemaOptions,
);
// listByWorkspace (optionally filtered by enabled), paged by id.
flowSchema.index({ workspaceId: 1, _id: 1 });
// Webhook routing: enabled flows on one trigger key, by id.
flowSchema.index({ triggerKey: 1, enabled: 1, _id: 1 });
// Scheduler reconciliation at startup: every enabled flow, paged by id.
flowSchema.index({ enabled: 1, _id: 1 });
// Resume and backfill after a configuration is re-authorised.
flowSchema.index({ configurationIds: 1, enabled: 1 });

export function flowModel(connection: Connection): Model<FlowDoc> {
  return defineModel(connection, 'Flow', flowSchema, 'flows');
}
