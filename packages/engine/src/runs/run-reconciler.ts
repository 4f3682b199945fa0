import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CardLogger } from '@flowcard/sdk';
import type { RunRepository } from '../ports/run-repository';
import type { RunRecovery } from './run-recovery';

/** Something kept in Redis that must exist: a job scheduler, re-created when it is missing. */
export interface ScheduleAssertion {
  readonly name: string;
  /**
   * Makes sure the schedules exist (idempotent). `dataLost`: Redis came back without its data, so
   * also do at once what the lost schedules and queued jobs would have done (e.g. poll every flow
   * now, collecting webhook items whose jobs were lost). Returns how many were (re)created.
   */
  assert(context: { dataLost: boolean }): Promise<number>;
}

export interface RunReconcilerOptions {
  redis: Redis;
  /** Key prefix (FLOWCARD_REDIS_PREFIX). */
  keyPrefix: string;
  runs: Pick<RunRepository, 'listInFlight'>;
  recovery: RunRecovery;
  schedules?: readonly ScheduleAssertion[];
  /** Period of the periodic pass. Default 60 s. */
  intervalMs?: number;
  /**
   * A run claimed this recently with no live state is probably being started right now: left for
   * the next pass (unless Redis lost its data). Default 10 s.
   */
  claimGraceMs?: number;
  pageSize?: number;
  logger?: CardLogger;
  now?: () => Date;
}

export interface ReconcileReport {
  /** Redis had lost its data (the epoch marker was gone). */
  dataLost: boolean;
  /** Unfinished runs looked at. */
  checked: number;
  /** Runs rebuilt from the store and re-enqueued. */
  resumed: number;
  /** Schedules re-created. */
  schedules: number;
  /** False when another process held the reconcile lock (nothing was done here). */
  ran: boolean;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Recovery after Redis lost data (a restart without persistence, a failover to an empty replica, a
 * flush) and the safety net for anything else that left a run without its live state: on every
 * (re)connection of Redis and every `intervalMs`, it
 *
 * 1. tells whether Redis lost its data: an epoch marker key is written once and must still be
 *    there (a restart that kept its data keeps it too);
 * 2. re-asserts every job scheduler (poll schedules…), and after a data loss runs what they would
 *    have run (a poll of every flow now);
 * 3. pages through the runs the store says are unfinished and resumes, from the store, each whose
 *    live state Redis no longer has (RunRecovery: steps recorded as succeeded are not run again; the
 *    step that may have been under way is marked as an unknown outcome).
 *
 * One process at a time (a Redis lock per pass), so several schedulers share the work.
 */
export class RunReconciler {
  private readonly intervalMs: number;
  private readonly claimGraceMs: number;
  private readonly pageSize: number;
  private readonly logger: CardLogger;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport> | undefined;
  private readonly onReady = (): void => {
    // A reconnection: the server may be a new, empty one. Reconcile at once.
    void this.reconcile().catch((error: unknown) =>
      this.logger.warn('reconcile after a Redis reconnection failed', { error: String(error) }),
    );
  };

  constructor(private readonly options: RunReconcilerOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.claimGraceMs = options.claimGraceMs ?? 10_000;
    this.pageSize = options.pageSize ?? 200;
    this.logger = options.logger ?? SILENT;
    this.now = options.now ?? ((): Date => new Date());
  }

  get markerKey(): string {
    return `${this.options.keyPrefix}:epoch`;
  }

  private get lockKey(): string {
    return `${this.options.keyPrefix}:reconcile:lock`;
  }

  /** Reconciles now, then every `intervalMs` and on every Redis reconnection. */
  async start(): Promise<ReconcileReport> {
    this.options.redis.on('ready', this.onReady);
    const tick = (): void => {
      this.reconcile()
        .catch((error: unknown) => this.logger.warn('reconcile failed', { error: String(error) }))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
    return this.reconcile();
  }

  async stop(): Promise<void> {
    this.options.redis.off('ready', this.onReady);
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (concurrent calls share it). */
  reconcile(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<ReconcileReport> {
    const redis = this.options.redis;
    const token = randomUUID();
    // The lock outlives a slow pass at most by one period; a crashed holder frees it by expiry.
    const locked = await redis.set(this.lockKey, token, 'PX', Math.max(this.intervalMs, 10_000), 'NX');
    if (locked !== 'OK') return { dataLost: false, checked: 0, resumed: 0, schedules: 0, ran: false };
    try {
      const dataLost = (await redis.set(this.markerKey, this.now().toISOString(), 'NX')) === 'OK';
      let schedules = 0;
      for (const assertion of this.options.schedules ?? []) {
        try {
          schedules += await assertion.assert({ dataLost });
        } catch (error) {
          this.logger.warn('schedules not re-asserted', { schedules: assertion.name, error: String(error) });
        }
      }
      const { checked, resumed } = await this.resumeLostRuns(dataLost);
      const report = { dataLost, checked, resumed, schedules, ran: true };
      if (dataLost || resumed > 0 || schedules > 0) this.logger.warn('reconciled runs and schedules', report);
      return report;
    } finally {
      await redis.eval(UNLOCK, 1, this.lockKey, token);
    }
  }

  private async resumeLostRuns(dataLost: boolean): Promise<{ checked: number; resumed: number }> {
    let checked = 0;
    let resumed = 0;
    let afterId: string | undefined;
    const freshSince = this.now().getTime() - this.claimGraceMs;
    for (;;) {
      const page = await this.options.runs.listInFlight({
        limit: this.pageSize,
        ...(afterId === undefined ? {} : { afterId }),
      });
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      checked += page.length;
      const pipeline = this.options.redis.pipeline();
      for (const run of page) pipeline.exists(this.liveKeyOf(run.id));
      const exists = ((await pipeline.exec()) ?? []).map(([, value]) => Number(value) === 1);
      for (let i = 0; i < page.length; i++) {
        const run = page[i];
        if (exists[i]) continue;
        if (!dataLost && run.revision === 0 && run.createdAt.getTime() > freshSince) continue;
        const outcome = await this.options.recovery.resume(run, { afterDataLoss: dataLost });
        if (outcome === 'resumed') resumed += 1;
      }
      if (page.length < this.pageSize) break;
    }
    return { checked, resumed };
  }

  private liveKeyOf(runId: string): string {
    return this.options.recovery.liveKeyOf(runId);
  }
}
