import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { isCardError } from '@flowcard/sdk';
import { isTriggerDelayed } from './trigger-call-gate';
import type { TriggerFailureLog } from './trigger-failure-log';
import type { TriggerPoller, PollJobData } from './trigger-poller';
import type { WebhookJobData, WebhookRouter } from './webhook-router';

export const TRIGGER_QUEUE = 'flowcard-triggers';

export interface TriggerWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  queueName?: string;
  router: WebhookRouter;
  poller: TriggerPoller;
  /** Default 20. */
  concurrency?: number;
  /** Lock of a job; a dead worker's jobs are picked up after it. Default 30 s. */
  lockDuration?: number;
  /** How often stalled jobs are looked for. Default 30 s. */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) before it fails. Default 10. */
  maxStalledCount?: number;
  /** Where jobs that failed for good are logged, counted and listed per flow. */
  failures?: TriggerFailureLog;
}

/**
 * Consumes `flowcard-triggers`.
 *
 * Contract (docs/conventions.md #7):
 * - `webhook` jobs: payload `{provider, change}` (one Meta change: page, form and lead ids). Reads
 *   enabled flows by route key (cached), the configuration (cached), fetches the item once per
 *   configuration; writes a dedupe claim per flow (Redis SET NX) and starts runs.
 * - `poll` jobs (from the per-flow job scheduler, or a backfill): payload `{flowId}`. Reads the
 *   flow, its configuration and its cursor; polls; starts runs for new items; advances the cursor.
 * - Emits: `flowcard-steps` jobs (first step of each run started).
 * - Safe to run twice: every item goes through the per-flow dedupe and a run id derived from flow
 *   and item, so a repeated job starts nothing new; the cursor only moves forward.
 * - Rate limits: fetches and polls go through the shared limiter (TriggerCallGate); when a budget
 *   is spent or Meta refuses for rate limits, the job is moved to delayed until access is regained
 *   (spread, not an attempt).
 * - Failures: a job that fails for good is logged with its flows, item key and classified error,
 *   counted and listed per flow (TriggerFailureLog). Retryable ones retry with back-off; auth, permission and invalid are not retried (the
 *   item is not lost: the poller's cursor stays put and the next poll after re-authorisation
 *   collects it).
 */
export class TriggerWorker {
  readonly worker: Worker<WebhookJobData | PollJobData, number>;

  constructor(options: TriggerWorkerOptions) {
    this.worker = new Worker<WebhookJobData | PollJobData, number>(
      options.queueName ?? TRIGGER_QUEUE,
      async (job: Job<WebhookJobData | PollJobData>, token?: string) => {
        try {
          if (job.name === 'webhook')
            return (await options.router.handleChange((job.data as WebhookJobData).change)).length;
          if (job.name === 'poll')
            return (await options.poller.poll((job.data as PollJobData).flowId)).length;
          throw new UnrecoverableError(`unknown trigger job ${job.name}`);
        } catch (error) {
          if (isTriggerDelayed(error)) {
            // Wait for the shared budget (or the wait Meta announced): delayed, not an attempt.
            await job.moveToDelayed(Date.now() + error.delayMs, token);
            throw new DelayedError();
          }
          const final =
            (isCardError(error) && error.signal !== 'retry' && error.signal !== 'rate_limited') ||
            job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          if (final) await recordFailure(options, job, error);
          if (isCardError(error) && error.signal !== 'retry' && error.signal !== 'rate_limited')
            throw new UnrecoverableError(`${error.code}: ${error.message}`);
          throw error;
        }
      },
      {
        connection: options.connection,
        ...(options.prefix ? { prefix: options.prefix } : {}),
        concurrency: options.concurrency ?? 20,
        lockDuration: options.lockDuration ?? 30_000,
        stalledInterval: options.stalledInterval ?? 30_000,
        // A trigger job cut short by a dead worker is safe to run again (see the contract above).
        maxStalledCount: options.maxStalledCount ?? 10,
      },
    );
  }

  /** Graceful: waits for in-flight trigger jobs. */
  async close(): Promise<void> {
    await this.worker.close();
  }
}

/** Logs and keeps a trigger job that failed for good; never lets the bookkeeping hide the failure. */
async function recordFailure(
  options: TriggerWorkerOptions,
  job: Job<WebhookJobData | PollJobData>,
  error: unknown,
): Promise<void> {
  if (!options.failures) return;
  try {
    const about =
      job.name === 'webhook'
        ? await options.router.describeChange((job.data as WebhookJobData).change)
        : { flowIds: [(job.data as PollJobData).flowId], itemKey: null };
    await options.failures.record({ ...about, job: job.name, attempts: job.attemptsMade + 1, error });
  } catch {
    // The job's own failure is what BullMQ records next; losing its copy here must not mask it.
  }
}
