import type { CardLogger } from '@flowcard/sdk';
import {
  IN_FLIGHT_RUN_STATUSES,
  type ResumableRun,
  type RunRepository,
  type RunStepRecord,
} from '../ports/run-repository';
import { cardSteps } from '../flows/flow-steps';
import { resumePoint } from './run-resume-point';
import { PENDING, type LiveRun, type RunStateStore } from './run-state-store';
import type { StepJobData } from './step-job-handler';

export interface RunRecoveryOptions {
  state: RunStateStore;
  /** The store: the durable run records (claims) and step history. */
  runs: Pick<RunRepository, 'findResumable' | 'listSteps'>;
  /** Enqueues a step job (the runner's, so job ids and options stay in one place). */
  enqueue: (data: StepJobData) => Promise<void>;
  logger?: CardLogger;
}

/** What `resume` found: the run was live in Redis, finished, unknown to the store, or it was resumed. */
export type RecoveryOutcome = 'live' | 'finished' | 'missing' | 'unresumable' | 'resumed';

export interface ResumeOptions {
  /**
   * Redis lost its data (the reconciler saw it): a step job may have been running when it did, so
   * the step the run goes on from is marked as having an unknown outcome (see UNKNOWN_OUTCOME_FIELD).
   */
  afterDataLoss?: boolean;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Rebuilds a run's live state from the store and enqueues the step it goes on from. Used when a
 * run is claimed in the store but not live in Redis: a crash between the claim and the Redis side
 * (the next report of the item finds it), or a Redis that lost its data (the reconciler finds it).
 * Steps recorded as succeeded or skipped keep their outputs and are not run again.
 *
 * Safe to run twice and concurrently with the normal start: the live state is created only when
 * absent (one atomic script), and only the caller that created it enqueues.
 */
export class RunRecovery {
  private readonly logger: CardLogger;

  constructor(private readonly options: RunRecoveryOptions) {
    this.logger = options.logger ?? SILENT;
  }

  /** The Redis key of a run's live state (what tells whether it is live). */
  liveKeyOf(runId: string): string {
    return this.options.state.runKey(runId);
  }

  /** Resumes a run by id (loads it from the store first). */
  async resumeById(runId: string, options: ResumeOptions = {}): Promise<RecoveryOutcome> {
    const run = await this.options.runs.findResumable(runId);
    return run ? this.resume(run, options) : 'missing';
  }

  /**
   * A live run whose process died between creating its live state and enqueueing its step (or
   * between a re-run's reopening and its enqueue) is `queued` with no job: enqueue its current
   * top-level step again, under the job id of its generation. Harmless when that job exists (same
   * job id: BullMQ keeps the one it has) or the step already has an output (the job is a no-op).
   */
  private async requeueCurrentStep(live: LiveRun): Promise<void> {
    if (live.status !== 'queued') return;
    const stepId = live.currentStepId;
    if (stepId === null) return;
    const step = cardSteps(live.spec.steps).find((candidate) => candidate.id === stepId);
    if (!step) return;
    const generation = Number(await this.options.state.redis.hget(this.liveKeyOf(live.id), 'generation'));
    const attempt = Number.isInteger(generation) && generation > 0 ? generation + 1 : 1;
    await this.options.enqueue({ runId: live.id, stepId, attempt, configurationId: step.configurationId });
  }

  async resume(run: ResumableRun, options: ResumeOptions = {}): Promise<RecoveryOutcome> {
    if (!IN_FLIGHT_RUN_STATUSES.includes(run.status)) return 'finished';
    const live = await this.options.state.load(run.id);
    if (live) {
      await this.requeueCurrentStep(live);
      return 'live';
    }
    if (!run.spec) {
      this.logger.warn('run cannot be resumed: the store has no spec snapshot of it', { runId: run.id });
      return 'unresumable';
    }
    const steps = await this.options.runs.listSteps(run.id);
    const { outputs, attempts } = recordedOutcomes(steps);
    const stepId = resumePoint(run.spec, outputs);
    const now = new Date();
    const finished = stepId === null;
    // Fresh claims (revision 0, no step record) never had a live state whose step could have started.
    const possiblyStarted =
      !finished && (options.afterDataLoss === true || run.revision > 0 || (attempts[stepId] ?? 0) > 0);
    const restored = await this.options.state.restore({
      id: run.id,
      flowId: run.flowId,
      workspaceId: run.workspaceId,
      ownerId: run.ownerId,
      flowVersion: run.flowVersion,
      spec: run.spec,
      triggerOutput: run.triggerOutput,
      dedupeKey: run.dedupeKey,
      status: finished ? 'succeeded' : run.status === 'queued' ? 'queued' : 'running',
      currentStepId: stepId,
      revision: run.revision,
      createdAt: run.createdAt,
      updatedAt: now,
      finishedAt: finished ? now : null,
      outputs,
      attempts,
      ...(possiblyStarted ? { extraFields: { [unknownOutcomeField(stepId)]: 'recovered' } } : {}),
    });
    if (!restored) return 'live';
    if (stepId !== null) {
      const step = cardSteps(run.spec.steps).find((candidate) => candidate.id === stepId);
      await this.options.enqueue({
        runId: run.id,
        stepId,
        attempt: 1,
        configurationId: step?.configurationId,
      });
    }
    this.logger.info('run resumed from the store', { runId: run.id, stepId, possiblyStarted });
    return 'resumed';
  }
}

/**
 * The hash field set while a step's call may be under way (begin of an attempt) and removed with
 * its outcome: finding it at the next attempt means the previous one's outcome is unknown.
 */
export function unknownOutcomeField(stepId: string): string {
  return `${PENDING}${stepId}`;
}

function recordedOutcomes(steps: readonly RunStepRecord[]): {
  outputs: Record<string, unknown>;
  attempts: Record<string, number>;
} {
  const outputs: Record<string, unknown> = {};
  const attempts: Record<string, number> = {};
  for (const step of steps) {
    attempts[step.stepId] = Math.max(attempts[step.stepId] ?? 0, step.attempt);
    if (step.status === 'succeeded' || step.status === 'skipped') outputs[step.stepId] = step.output ?? null;
  }
  return { outputs, attempts };
}
