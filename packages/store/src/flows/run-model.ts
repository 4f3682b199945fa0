import { Schema, type Connection, type Model } from 'mongoose';
import type { RunStatus } from '@flowcard/engine';
import { defineModel } from '../models/define-model';
import { schemaOptions } from '../models/schema-options';
import { runErrorSchema, type RunErrorDoc } from './run-error-schema';

export interface RunDoc {
  _id: string;
  flowId: string;
  workspaceId: string;
  /** Written by the claim (the writer's updates leave it): who the run acts for. */
  ownerId?: string | null;
  flowVersion: number;
  status: RunStatus;
  /** JSON text (see json-text.ts); null when the run has no trigger output. */
  triggerOutputJson: string | null;
  dedupeKey: string | null;
  currentStepId: string | null;
  error: RunErrorDoc | null;
  /** Writes are guarded on it: a record with a lower revision never replaces a higher one. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** The flow spec snapshot as JSON text, written once by the claim: what a resume from the store runs. */
  specJson?: string | null;
}

const runSchema = new Schema<RunDoc>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    ownerId: { type: String, default: null },
    flowVersion: { type: Number, required: true },
    status: { type: String, required: true },
    triggerOutputJson: { type: String, default: null },
    dedupeKey: { type: String, default: null },
    currentStepId: { type: String, default: null },
    error: { type: runErrorSchema, default: null },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    specJson: { type: String, default: null },
  },
  schemaOptions,
);
// listRuns: a flow's runs newest first (id breaks ties), optionally by status.
runSchema.index({ flowId: 1, createdAt: -1, _id: -1 });
runSchema.index({ flowId: 1, status: 1, createdAt: -1, _id: -1 });
// listInFlight: the reconciler pages through unfinished runs by id.
runSchema.index({ status: 1, _id: 1 });

export function runModel(connection: Connection): Model<RunDoc> {
  return defineModel(connection, 'Run', runSchema, 'runs');
}
