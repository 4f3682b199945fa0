import { Schema, type Connection, type Model } from 'mongoose';
import type { RunStepStatus } from '@flowcard/engine';
import { defineModel } from '../models/define-model';
import { schemaOptions } from '../models/schema-options';
import { runErrorSchema, type RunErrorDoc } from './run-error-schema';

/** One attempt of one step: `_id` = `${runId}:${stepId}:${attempt}` (docs/architecture.md §6: no growing arrays). */
export interface RunStepDoc {
  _id: string;
  runId: string;
  flowId: string;
  stepId: string;
  attempt: number;
  status: RunStepStatus;
  /** JSON text (see json-text.ts). */
  inputJson: string | null;
  outputJson: string | null;
  error: RunErrorDoc | null;
  durationMs: number;
  startedAt: Date;
}

const runStepSchema = new Schema<RunStepDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    flowId: { type: String, required: true },
    stepId: { type: String, required: true },
    attempt: { type: Number, required: true },
    status: { type: String, required: true },
    inputJson: { type: String, default: null },
    outputJson: { type: String, default: null },
    error: { type: runErrorSchema, default: null },
    durationMs: { type: Number, required: true },
    startedAt: { type: Date, required: true },
  },
  schemaOptions,
);
// listSteps: a run's attempts in the order they started.
runStepSchema.index({ runId: 1, startedAt: 1, attempt: 1 });

export function runStepModel(connection: Connection): Model<RunStepDoc> {
  return defineModel(connection, 'RunStep', runStepSchema, 'run_steps');
}
