import { Schema } from 'mongoose';
import type { RunError } from '@flowcard/engine';

/** RunError as stored: a subdocument (its keys are ours, so safe), optional fields null when absent. */
export interface RunErrorDoc {
  code: string;
  message: string;
  signal: RunError['signal'];
  permission: string | null;
  stepId: string | null;
}

export const runErrorSchema = new Schema<RunErrorDoc>(
  {
    code: { type: String, required: true },
    message: { type: String, required: true },
    signal: { type: String, default: null },
    permission: { type: String, default: null },
    stepId: { type: String, default: null },
  },
  { _id: false, versionKey: false },
);

export function toRunErrorDoc(error: RunError | null): RunErrorDoc | null {
  if (!error) return null;
  return {
    code: error.code,
    message: error.message,
    signal: error.signal,
    permission: error.permission ?? null,
    stepId: error.stepId ?? null,
  };
}

/** Optional fields come back only when they were given, so a record reads back equal to what was saved. */
export function toRunError(doc: RunErrorDoc | null | undefined): RunError | null {
  if (!doc) return null;
  return {
    code: doc.code,
    message: doc.message,
    signal: doc.signal ?? null,
    ...(doc.permission !== null && doc.permission !== undefined ? { permission: doc.permission } : {}),
    ...(doc.stepId !== null && doc.stepId !== undefined ? { stepId: doc.stepId } : {}),
  };
}
