import { createHash, randomUUID } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';
import { FlowcardError } from '../errors/flowcard-error';
import { flowCodes } from '../errors/codes/flow-codes';
import type { FlowDocument } from '../ports/flow-repository';
import type { RunRepository } from '../ports/run-repository';
import type { ParkedSteps } from './parked-steps';
import { RunRecovery } from './run-recovery';
import type { NewLiveRun, RunStateStore } from './run-state-store';
import {
  nextStepJob,
  StepJobHandler,
  type StepJobData,
  type StepJobHandlerOptions,
  type StepJobOutcome,
} from './step-job-handler';

export const STEP_QUEUE = 'flowcard-steps';

export interface FlowRunnerRetryOptions {
  /** Attempts for `retry` failures, the first included. Default 5. */
  attempts?: number;
  /** First back-off. Default 1 s; doubles each attempt. */
  baseDelayMs?: number;
  /** Back-off cap. Default 5 min. */
  maxDelayMs?: number;
}

export interface FlowRunnerOptions extends Omit<StepJobHandlerOptions, 'enqueue' | 'state' | 'parked'> {
  /** BullMQ connection (an ioredis instance or options; workers need maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  /** BullMQ key prefix (a fresh one per test file). Default `bull`. */
  prefix?: string;
  queueName?: string;
  state: RunStateStore;
  parked: ParkedSteps;
  retry?: FlowRunnerRetryOptions;
  /**
   * The store's runs. When given (production), every run is first claimed there (its record
   * inserted with the run id as key) and only then made live in Redis: a crash or a Redis loss can
   * no longer leave an item claimed without a run, because the claim is the run. Without it (some
   * engine tests, the bench) runs live in Redis only until the history writer stores them.
   */
  runs?: Pick<RunRepository, 'claimRun' | 'findResumable' | 'listSteps'>;
}

export interface StartRunOptions {
  /**
   * The trigger item's dedupe key (e.g. the lead id). The run id is derived from flow id + key, so
   * starting the same item twice returns the same run and enqueues nothing new.
   */
  dedupeKey?: string;
}

export interface StartedRun {
  runId: string;
  /** False when a run for this flow and dedupe key already existed. */
  created: boolean;
}

export interface StepWorkerOptions {
  /** Jobs processed at once per worker (steps are I/O bound). Default 50. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a dead worker's jobs are picked up after it. Default 30 s. */
  lockDuration?: number;
  /** How often stalled jobs are looked for. Default 30 s. */
  stalledInterval?: number;
  /** Times a job may stall before it fails. Default 3. */
  maxStalledCount?: number;
  /** Start fetching jobs at once (default true). */
  autorun?: boolean;
}

/**
 * Executes flows on BullMQ: one `flowcard-steps` job per step, payload of ids, job id
 * `${runId}:${stepId}:${generation}`, next step enqueued when a step completes (see StepJobHandler for the
 * contract and the error policy). Starting runs, resuming parked steps and re-running failed runs
 * go through here so job ids and options live in one place.
 */
export class FlowRunner {
  readonly queue: Queue<StepJobData>;
  readonly handler: StepJobHandler;
  private readonly workers: Worker<StepJobData, StepJobOutcome>[] = [];
  private readonly jobOptions: JobsOptions;
  private readonly retry: Required<FlowRunnerRetryOptions>;
  /** Rebuilds runs claimed in the store whose live state is missing (needs `runs`). */
  readonly recovery: RunRecovery | undefined;

  constructor(private readonly options: FlowRunnerOptions) {
    this.retry = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, ...options.retry };
    this.queue = new Queue<StepJobData>(options.queueName ?? STEP_QUEUE, {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
    this.jobOptions = {
      attempts: this.retry.attempts,
      backoff: { type: 'flowcard' },
      // Idempotency lives in the run state, not in kept jobs: completed jobs can go at once.
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    };
    this.handler = new StepJobHandler({ ...options, enqueue: (data) => this.enqueue(data) });
    this.recovery = options.runs
      ? new RunRecovery({
          state: options.state,
          runs: options.runs,
          enqueue: (data) => this.enqueue(data),
          ...(options.logger ? { logger: options.logger } : {}),
        })
      : undefined;
  }

  /**
   * Creates the run (live state in Redis, history through the outbox) and enqueues its first step.
   * Idempotent per dedupe key.
   */
  async startRun(
    flow: FlowDocument,
    triggerOutput: unknown,
    options: StartRunOptions = {},
  ): Promise<StartedRun> {
    const runId =
      options.dedupeKey === undefined
        ? `run_${randomUUID().replace(/-/g, '')}`
        : dedupedRunId(flow.id, options.dedupeKey);
    const firstStep = flow.spec.steps[0];
    const firstStepId = firstStep.id;
    const run: NewLiveRun = {
      id: runId,
      flowId: flow.id,
      workspaceId: flow.workspaceId,
      ownerId: flow.ownerId,
      flowVersion: flow.version,
      spec: flow.spec,
      triggerOutput,
      dedupeKey: options.dedupeKey ?? null,
      firstStepId,
      at: new Date(),
    };
    if (this.options.runs && this.recovery) {
      // The claim is the run's first store write: inserted with the run id as key, so of two
      // reports of one item exactly one inserts it. Whoever inserted it makes it live.
      const claimed = await this.options.runs.claimRun({
        id: runId,
        flowId: flow.id,
        workspaceId: flow.workspaceId,
        ownerId: flow.ownerId,
        flowVersion: flow.version,
        status: 'queued',
        triggerOutput,
        dedupeKey: options.dedupeKey ?? null,
        currentStepId: firstStepId,
        error: null,
        revision: 0,
        createdAt: run.at,
        updatedAt: run.at,
        finishedAt: null,
        spec: flow.spec,
      });
      if (!claimed) {
        // Claimed before. A claim whose run is not live (its starter died between the two writes,
        // or Redis lost the run) counts as unclaimed: the run is rebuilt from the store and resumed.
        await this.recovery.resumeById(runId);
        return { runId, created: false };
      }
      await this.options.state.create(run);
      await this.enqueue(nextStepJob(runId, firstStep));
      return { runId, created: true };
    }
    const created = await this.options.state.create(run);
    // Enqueued even when the run existed: a crash between creating and enqueueing is healed by the
    // next report of the same item, and the job id makes a second enqueue a no-op.
    await this.enqueue(nextStepJob(runId, firstStep));
    return { runId, created };
  }

  /** Starts a worker of the step queue in this process. Closed by `close()`. */
  createWorker(options: StepWorkerOptions = {}): Worker<StepJobData, StepJobOutcome> {
    const { baseDelayMs, maxDelayMs } = this.retry;
    const worker = new Worker<StepJobData, StepJobOutcome>(
      this.queue.name,
      (job: Job<StepJobData>, token?: string) => this.handler.handle(job, token),
      {
        connection: this.options.connection,
        ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
        concurrency: options.concurrency ?? 50,
        lockDuration: options.lockDuration ?? 30_000,
        stalledInterval: options.stalledInterval ?? 30_000,
        maxStalledCount: options.maxStalledCount ?? 3,
        autorun: options.autorun ?? true,
        settings: {
          // Exponential with a cap and some jitter, so retries of many runs do not arrive together.
          backoffStrategy: (attemptsMade: number) => {
            const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
            return Math.round(delay * (0.8 + Math.random() * 0.4));
          },
        },
      },
    );
    this.workers.push(worker);
    return worker;
  }

  /**
   * Resumes every step parked on the configuration (call after it was re-authorised or its token
   * updated, and after invalidating the configuration cache). Returns how many were resumed.
   */
  async resumeParked(configurationId: string): Promise<number> {
    const parked = await this.options.parked.release(configurationId);
    for (const member of parked) {
      const [runId, stepId, attempt] = member.split(':');
      const job = await this.queue.getJob(member);
      if (job && (await job.isDelayed())) {
        await job.promote().catch(() => undefined);
      } else if (!job) {
        await this.enqueue({ runId, stepId, attempt: Number(attempt) || 1, configurationId });
      }
      // An active job (still parking itself) re-checks the flag when its delay ends; nothing lost.
    }
    return parked.length;
  }

  /** Re-runs a failed run from the step that failed, keeping the outputs of the steps before it. */
  async rerunFromFailed(runId: string): Promise<void> {
    const run = await this.options.state.load(runId);
    if (!run) throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_FOUND, { runId });
    if (run.status !== 'failed' || !run.currentStepId) {
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_RERUNNABLE, { runId, status: run.status });
    }
    const stepId = run.currentStepId;
    // A top-level step clears its output and the later ones'; inside a branch or loop item only
    // its own (the rest of the run went on or waits on it).
    const from = run.spec.steps.findIndex((step) => step.id === stepId);
    await this.options.state.clearOutputs(
      runId,
      from < 0 ? [stepId] : run.spec.steps.slice(from).map((step) => step.id),
    );
    await this.options.state.transition(runId, {
      at: new Date(),
      status: 'queued',
      error: null,
      finishedAt: null,
      reopen: true,
    });
    const generation = await this.options.state.redis.hincrby(
      this.options.state.runKey(runId),
      'generation',
      1,
    );
    // The failed step again, and inside loops the items that were in flight when the run failed.
    for (const job of await this.handler.control.resumeJobs(run, stepId, generation + 1))
      await this.enqueue(job);
  }

  /** Adds a step job; a job with the same id already waiting, delayed or active makes this a no-op. */
  async enqueue(data: StepJobData): Promise<void> {
    await this.queue.add('step', data, { ...this.jobOptions, jobId: stepJobId(data) });
  }

  /**
   * Graceful shutdown: each worker stops taking jobs and waits for its in-flight ones (a job cut
   * short by a crash instead is picked up by another worker's stalled check), then the queue.
   */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.queue.close();
  }
}

/**
 * `${runId}:${stepId}:${attempt}`. BullMQ refuses custom ids with one colon (it reserves them for
 * repeatable jobs) but accepts three parts; the generation also gives a re-run its own job.
 */
export function stepJobId(data: StepJobData): string {
  return `${data.runId}:${data.stepId}:${data.attempt}`;
}

/** The run id of a trigger item in a flow: the same item always maps to the same run. */
export function dedupedRunId(flowId: string, dedupeKey: string): string {
  return `run_${createHash('sha256').update(`${flowId}\u0000${dedupeKey}`).digest('hex').slice(0, 32)}`;
}
