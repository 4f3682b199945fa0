import {
  effectivePause,
  nextFireTimes,
  scheduleOf,
  scheduleProblem,
  type FlowDocument,
  type RunError,
  type RunRecord,
  type RunStepRecord,
} from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import { webhookUrlOf } from './core-webhook';

export interface FlowView {
  readonly id: string;
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly triggerKey: string | null;
  readonly version: number;
  readonly spec: FlowSpec;
  /** Why the flow is paused (a configuration it uses was removed); null when it runs normally. */
  readonly paused: {
    readonly code: string;
    readonly reason: string;
    readonly at: string;
    readonly configurationIds: readonly string[];
  } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** A core/schedule trigger's cron, time zone and next three fire times. */
  readonly schedule?: { cron: string; timezone: string; nextFireTimes: string[] };
  /** A core/webhook trigger's URL (POST deliveries there); rotate it to stop the old one. */
  readonly webhookUrl?: string;
}

export interface RunView {
  readonly id: string;
  readonly flowId: string;
  readonly flowVersion: number;
  readonly status: string;
  readonly dedupeKey: string | null;
  readonly currentStepId: string | null;
  readonly triggerOutput: unknown;
  readonly error: RunError | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  /** Wall time from start to finish (or to now for a run still going). */
  readonly durationMs: number | null;
}

export interface RunStepView {
  readonly id: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly status: string;
  /** The rendered input with the configuration's secrets redacted. */
  readonly input: unknown;
  readonly output: unknown;
  readonly error: RunError | null;
  readonly durationMs: number;
  readonly startedAt: string;
}

export function flowView(flow: FlowDocument, publicUrl = ''): FlowView {
  const webhookUrl = webhookUrlOf(flow, publicUrl);
  return {
    id: flow.id,
    workspaceId: flow.workspaceId,
    ownerId: flow.ownerId,
    name: flow.spec.name,
    enabled: flow.enabled,
    triggerKey: flow.triggerKey,
    version: flow.version,
    spec: flow.spec,
    paused: pausedView(flow),
    createdAt: flow.createdAt.toISOString(),
    updatedAt: flow.updatedAt.toISOString(),
    ...scheduleView(flow.spec),
    ...(webhookUrl ? { webhookUrl } : {}),
  };
}

function scheduleView(spec: FlowSpec): Pick<FlowView, 'schedule'> {
  const schedule = scheduleOf(spec);
  if (!schedule || scheduleProblem(schedule)) return {};
  const timezone = schedule.timezone ?? 'UTC';
  return { schedule: { cron: schedule.cron, timezone, nextFireTimes: nextFireTimes(schedule, 3) } };
}

export function runView(run: RunRecord): RunView {
  return {
    id: run.id,
    flowId: run.flowId,
    flowVersion: run.flowVersion,
    status: run.status,
    dedupeKey: run.dedupeKey,
    currentStepId: run.currentStepId,
    triggerOutput: run.triggerOutput,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.createdAt.getTime() : null,
  };
}

export function runStepView(step: RunStepRecord): RunStepView {
  return {
    id: step.id,
    stepId: step.stepId,
    attempt: step.attempt,
    status: step.status,
    input: step.input,
    output: step.output,
    error: step.error,
    durationMs: step.durationMs,
    startedAt: step.startedAt.toISOString(),
  };
}

function pausedView(flow: FlowDocument): FlowView['paused'] {
  const pause = effectivePause(flow);
  if (!pause) return null;
  return {
    code: pause.code,
    reason: pause.reason,
    at: pause.at.toISOString(),
    configurationIds: pause.configurations.map((configuration) => configuration.id),
  };
}
