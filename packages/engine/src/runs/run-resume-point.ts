import type { FlowSpec } from '@flowcard/schemas';

/**
 * Where a run rebuilt from the store goes on: the first step, in the flow's order, that has no
 * recorded outcome (`outputs` holds the steps recorded as succeeded or skipped). Not simply the
 * stored `currentStepId`: history is written in batches, and a Redis that lost its outbox may have
 * taken the record of an earlier step with it, whose output later steps still need. Null when
 * every step has an outcome (the run finished; only its last record was lost).
 */
export function resumePoint(spec: FlowSpec, outputs: Readonly<Record<string, unknown>>): string | null {
  for (const step of spec.steps) if (!(step.id in outputs)) return step.id;
  return null;
}
