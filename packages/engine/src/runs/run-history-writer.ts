import { randomUUID } from 'node:crypto';
import type { RunRecord, RunRepository, RunStepRecord } from '../ports/run-repository';
import {
  RUN_RECORD_FIELDS,
  runRecordFromFields,
  type HistoryEntry,
  type RunStateStore,
} from './run-state-store';

export interface RunHistoryWriterOptions {
  state: RunStateStore;
  repository: RunRepository;
  /** How often the outbox is drained. Default 250 ms. */
  flushIntervalMs?: number;
  /** Entries written per batch. Default 500. */
  batchSize?: number;
  /** Lock lifetime: one writer drains at a time across all processes. Default 30 s. */
  lockMs?: number;
  /** Called when a batch cannot be written (it stays in the outbox and is tried again). */
  onError?: (error: unknown) => void;
}

// Deletes the lock only when it is still ours (another writer may hold it after ours expired).
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Writes run history to the store in batches (docs/architecture.md §8: no synchronous store write per step).
 * Step jobs append entries to a Redis outbox atomically with their state change; this writer drains
 * it every `flushIntervalMs` or sooner when a batch is full: runs are saved from their latest live
 * state (with its revision, so an older write never wins), step attempts by id. Entries are removed
 * only after the store accepted them, and both writes are idempotent, so a crash mid-batch only
 * means the batch is written again.
 */
export class RunHistoryWriter {
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly lockMs: number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;

  constructor(private readonly options: RunHistoryWriterOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 500;
    this.lockMs = options.lockMs ?? 30_000;
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.flush()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.flushIntervalMs);
        });
    };
    this.timer = setTimeout(tick, this.flushIntervalMs);
  }

  /** Stops the timer and drains what is left (graceful shutdown). */
  async close(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.flushing?.catch(() => undefined);
    await this.flush();
  }

  /** Drains the outbox now; returns how many entries were written. Concurrent calls share one drain. */
  flush(): Promise<number> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  private async drain(): Promise<number> {
    const redis = this.options.state.redis;
    const lockKey = `${this.options.state.outboxKey}:lock`;
    const token = randomUUID();
    if ((await redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) !== 'OK') return 0;
    let written = 0;
    try {
      for (;;) {
        const raw = await redis.lrange(this.options.state.outboxKey, 0, this.batchSize - 1);
        if (raw.length === 0) break;
        await this.write(raw.map((line) => JSON.parse(line) as HistoryEntry));
        await redis.ltrim(this.options.state.outboxKey, raw.length, -1);
        written += raw.length;
        if (raw.length < this.batchSize) break;
      }
    } finally {
      await redis.eval(UNLOCK, 1, lockKey, token);
    }
    return written;
  }

  private async write(entries: HistoryEntry[]): Promise<void> {
    const runIds = new Set<string>();
    const steps = new Map<string, RunStepRecord>();
    for (const entry of entries) {
      if (entry.kind === 'run') runIds.add(entry.id);
      else steps.set(entry.record.id, reviveStep(entry.record));
    }
    const runs = await this.loadRuns([...runIds]);
    // Runs first: a reader that finds a step finds its run.
    if (runs.length > 0) await this.options.repository.saveRuns(runs);
    if (steps.size > 0) await this.options.repository.saveSteps([...steps.values()]);
  }

  private async loadRuns(ids: string[]): Promise<RunRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.options.state.redis.pipeline();
    // Only the record's fields: the spec snapshot and step outputs stay in Redis (see RUN_RECORD_FIELDS).
    for (const id of ids) pipeline.hmget(this.options.state.runKey(id), ...RUN_RECORD_FIELDS);
    const results = (await pipeline.exec()) ?? [];
    const runs: RunRecord[] = [];
    results.forEach(([, values], index) => {
      const record = runRecordFromFields(ids[index], (values as Array<string | null> | null) ?? []);
      if (record) runs.push(record);
    });
    return runs;
  }
}

/** Step records travel as JSON: dates come back as strings. */
export function reviveStep(record: RunStepRecord): RunStepRecord {
  return { ...record, startedAt: new Date(record.startedAt) };
}
