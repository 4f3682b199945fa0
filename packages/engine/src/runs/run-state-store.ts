import type { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import type { RunError, RunRecord, RunStatus, RunStepRecord } from '../ports/run-repository';
import { RedisScript } from './redis-script';

/** The live state of a run while it executes: what every step job reads, in one Redis hash. */
export interface LiveRun {
  readonly id: string;
  readonly flowId: string;
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly flowVersion: number;
  readonly status: RunStatus;
  readonly currentStepId: string | null;
  readonly dedupeKey: string | null;
  readonly error: RunError | null;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
  /** Snapshot of the flow spec taken when the run started (edits do not change a running run). */
  readonly spec: FlowSpec;
  readonly triggerOutput: unknown;
  /** Outputs of the steps finished so far, by step id. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface NewLiveRun {
  id: string;
  flowId: string;
  workspaceId: string;
  ownerId: string;
  flowVersion: number;
  spec: FlowSpec;
  triggerOutput: unknown;
  dedupeKey: string | null;
  firstStepId: string;
  at: Date;
}

/** A run's live state rebuilt from the store (see RunStateStore.restore). */
export interface RestoredLiveRun extends Omit<NewLiveRun, 'firstStepId' | 'at'> {
  status: RunStatus;
  /** The step to go on from; null when every step is recorded as finished. */
  currentStepId: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  outputs: Record<string, unknown>;
  /** Highest attempt number recorded per step. */
  attempts: Record<string, number>;
  /** Further hash fields (e.g. the unknown-outcome marker of the step to go on from). */
  extraFields?: Record<string, string>;
}

/** A change of the run made together with (optionally) a step's output and a step record. */
export interface RunTransition {
  status?: RunStatus;
  currentStepId?: string | null;
  error?: RunError | null;
  finishedAt?: Date | null;
  at: Date;
  /** Store this step's output (refused when the step already has one: a duplicate job). */
  output?: { stepId: string; value: unknown };
  record?: RunStepRecord;
  /** Allow leaving a finished state (re-run of a failed run). */
  reopen?: boolean;
}

/** What the outbox holds, flushed in batches to the RunRepository by the RunHistoryWriter. */
export type HistoryEntry = { kind: 'run'; id: string } | { kind: 'step'; record: RunStepRecord };

export interface RunStateStoreOptions {
  redis: Redis;
  /** e.g. `flowcard` (a fresh one per test file). */
  keyPrefix: string;
  /** How long a run's live state stays in Redis after its last change. Default 14 days. */
  ttlSeconds?: number;
}

// Applies a transition atomically: refuses to change a finished run (unless reopening) and to store
// a second output for a step, so duplicate deliveries of a job cannot record a step twice.
// KEYS: run hash, outbox list. ARGV: output field ('' = none), output JSON, step entry JSON ('' = none),
// run entry JSON, ttl seconds, reopen ('1'/'0'), then field/value pairs to set.
// Returns the new revision, 0 when refused, -1 when the run does not exist.
const TRANSITION = new RedisScript(`
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if ARGV[6] ~= '1' and (status == 'succeeded' or status == 'failed' or status == 'filtered') then return 0 end
if ARGV[1] ~= '' then
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return rev
`);

// Creates the run hash unless it exists (a deterministic run id makes a second trigger a no-op).
// KEYS: run hash, outbox list. ARGV: ttl, run entry JSON, then field/value pairs.
// Returns 1 created, 0 the run existed.
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`);

// Counts an execution of a step and returns it with the whole hash; nil for an unknown run (so no
// stray hash is created). KEYS: run hash, optionally the step configuration's "needs re-auth" flag
// (ParkedSteps.flagKey). ARGV: attempt counter field. Returns {count, hash, flag set (1/0)}.
// The flag rides along so a step learns whether its configuration is broken without a separate
// EXISTS round trip.
const BEGIN_ATTEMPT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
local broken = 0
if KEYS[2] then broken = redis.call('EXISTS', KEYS[2]) end
return {n, redis.call('HGETALL', KEYS[1]), broken}
`);

const OUTPUT = 'out:';
const ATTEMPT = 'att:';

/**
 * Redis side of runs: one hash per run (status, spec snapshot, trigger output, step outputs,
 * attempt counters) plus an outbox list of history entries. Every change is one atomic script
 * call, so the step hot path never waits for MongoDB and a crash between "step done" and "history
 * written" loses nothing: the outbox is in Redis, the writer drains it later.
 */
export class RunStateStore {
  private readonly ttlSeconds: number;

  constructor(private readonly options: RunStateStoreOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 14 * 24 * 3600;
  }

  get redis(): Redis {
    return this.options.redis;
  }

  /** The outbox list key (the writer drains it). */
  get outboxKey(): string {
    return `${this.options.keyPrefix}:history:outbox`;
  }

  runKey(runId: string): string {
    return `${this.options.keyPrefix}:run:{${runId}}`;
  }

  /** True when created, false when a run with this id already exists. */
  async create(run: NewLiveRun): Promise<boolean> {
    return this.runCreate(run, {});
  }

  /**
   * Re-creates the live state of a run from what the store recorded (RunRecovery): status, the
   * step to go on from, the outputs of the steps recorded as finished, the attempt counters (so new
   * attempt records get new numbers) and the stored revision (so the next history write wins).
   * False when the run is live already (nothing is changed then).
   */
  async restore(run: RestoredLiveRun): Promise<boolean> {
    const extra: Record<string, string> = {
      status: run.status,
      rev: String(run.revision),
      updatedAt: run.updatedAt.toISOString(),
    };
    if (run.currentStepId === null) extra.currentStepId = '';
    for (const [stepId, value] of Object.entries(run.outputs))
      extra[`${OUTPUT}${stepId}`] = JSON.stringify(value ?? null);
    for (const [stepId, count] of Object.entries(run.attempts)) extra[`${ATTEMPT}${stepId}`] = String(count);
    if (run.finishedAt) extra.finishedAt = run.finishedAt.toISOString();
    for (const [field, value] of Object.entries(run.extraFields ?? {})) extra[field] = value;
    return this.runCreate({ ...run, firstStepId: run.currentStepId ?? '', at: run.createdAt }, extra);
  }

  /** Whether Redis holds the run's live state. */
  async exists(runId: string): Promise<boolean> {
    return (await this.options.redis.exists(this.runKey(runId))) === 1;
  }

  private async runCreate(run: NewLiveRun, extra: Record<string, string>): Promise<boolean> {
    const at = run.at.toISOString();
    const fields: Record<string, string> = {
      flowId: run.flowId,
      workspaceId: run.workspaceId,
      ownerId: run.ownerId,
      flowVersion: String(run.flowVersion),
      status: 'queued',
      currentStepId: run.firstStepId,
      rev: '1',
      createdAt: at,
      updatedAt: at,
      spec: JSON.stringify(run.spec),
      trigger: JSON.stringify(run.triggerOutput ?? null),
      ...extra,
    };
    // Empty fields are not written: readers take a missing error/finishedAt/dedupeKey as none.
    if (run.dedupeKey) fields.dedupeKey = run.dedupeKey;
    const result = await CREATE.run(
      this.options.redis,
      [this.runKey(run.id), this.outboxKey],
      [
        String(this.ttlSeconds),
        JSON.stringify({ kind: 'run', id: run.id } satisfies HistoryEntry),
        ...Object.entries(fields).flat(),
      ],
    );
    return Number(result) === 1;
  }

  /** The live run, or null when unknown here (finished long ago, or never started). */
  async load(runId: string): Promise<LiveRun | null> {
    const hash = await this.options.redis.hgetall(this.runKey(runId));
    return toLiveRun(runId, hash);
  }

  /**
   * Counts one more execution of a step and loads the run, in one round trip. The count gives every
   * attempt record a distinct number, whatever caused it (retry, delay, stall, resume, re-run).
   * With `flagKey` (ParkedSteps.flagKey of the step's configuration) the same round trip also says
   * whether that flag is set: `flagged` is undefined when no key was given.
   */
  async beginAttempt(
    runId: string,
    stepId: string,
    flagKey?: string,
  ): Promise<{ run: LiveRun | null; attempt: number; flagged?: boolean }> {
    const keys = flagKey === undefined ? [this.runKey(runId)] : [this.runKey(runId), flagKey];
    const result = (await BEGIN_ATTEMPT.run(this.options.redis, keys, [`${ATTEMPT}${stepId}`])) as
      [number, string[], number] | null;
    if (!result) return { run: null, attempt: 0 };
    const flat = result[1];
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i]] = flat[i + 1];
    return {
      run: toLiveRun(runId, hash),
      attempt: Number(result[0]),
      ...(flagKey === undefined ? {} : { flagged: Number(result[2]) === 1 }),
    };
  }

  /** Applies a transition atomically; false when refused (finished run, or duplicate step output). */
  async transition(runId: string, change: RunTransition): Promise<boolean> {
    const fields: string[] = ['updatedAt', change.at.toISOString()];
    if (change.status !== undefined) fields.push('status', change.status);
    if (change.currentStepId !== undefined) fields.push('currentStepId', change.currentStepId ?? '');
    if (change.error !== undefined) fields.push('error', change.error ? JSON.stringify(change.error) : '');
    if (change.finishedAt !== undefined)
      fields.push('finishedAt', change.finishedAt ? change.finishedAt.toISOString() : '');
    const result = await TRANSITION.run(
      this.options.redis,
      [this.runKey(runId), this.outboxKey],
      [
        change.output ? `${OUTPUT}${change.output.stepId}` : '',
        change.output ? JSON.stringify(change.output.value ?? null) : '',
        change.record ? JSON.stringify({ kind: 'step', record: change.record } satisfies HistoryEntry) : '',
        JSON.stringify({ kind: 'run', id: runId } satisfies HistoryEntry),
        String(this.ttlSeconds),
        change.reopen ? '1' : '0',
        ...fields,
      ],
    );
    return Number(result) > 0;
  }

  /** Keeps a waiting run's state alive (parked runs may wait longer than the TTL). */
  async touch(runId: string): Promise<void> {
    await this.options.redis.expire(this.runKey(runId), this.ttlSeconds);
  }

  /** Removes a step's output (re-run from that step). */
  async clearOutputs(runId: string, stepIds: readonly string[]): Promise<void> {
    if (stepIds.length === 0) return;
    await this.options.redis.hdel(this.runKey(runId), ...stepIds.map((id) => `${OUTPUT}${id}`));
  }
}

/** Builds the store record of a live run (what the writer saves). */
export function liveRunToRecord(run: LiveRun): RunRecord {
  return {
    id: run.id,
    flowId: run.flowId,
    workspaceId: run.workspaceId,
    flowVersion: run.flowVersion,
    status: run.status,
    triggerOutput: run.triggerOutput,
    dedupeKey: run.dedupeKey,
    currentStepId: run.currentStepId,
    error: run.error,
    revision: run.revision,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
  };
}

/**
 * The hash fields a store record needs, in the order `runRecordFromFields` reads them. The history
 * writer asks for these (HMGET) instead of the whole hash: the spec snapshot and the step outputs
 * are the bulk of a run hash, and the record needs neither, so Redis sends and the writer parses
 * far less per run saved.
 */
export const RUN_RECORD_FIELDS = [
  'status',
  'flowId',
  'workspaceId',
  'flowVersion',
  'trigger',
  'dedupeKey',
  'currentStepId',
  'error',
  'rev',
  'createdAt',
  'updatedAt',
  'finishedAt',
] as const;

/** The store record from HMGET of RUN_RECORD_FIELDS; null when the run is gone. Same values as liveRunToRecord(toLiveRun(…)). */
export function runRecordFromFields(id: string, values: ReadonlyArray<string | null>): RunRecord | null {
  const [
    status,
    flowId,
    workspaceId,
    flowVersion,
    trigger,
    dedupeKey,
    currentStepId,
    error,
    rev,
    createdAt,
    updatedAt,
    finishedAt,
  ] = values;
  if (!status) return null;
  return {
    id,
    flowId: flowId ?? '',
    workspaceId: workspaceId ?? '',
    flowVersion: Number(flowVersion),
    status: status as RunStatus,
    triggerOutput: JSON.parse(trigger ?? 'null'),
    dedupeKey: dedupeKey || null,
    currentStepId: currentStepId || null,
    error: error ? (JSON.parse(error) as RunError) : null,
    revision: Number(rev),
    createdAt: new Date(createdAt ?? ''),
    updatedAt: new Date(updatedAt ?? ''),
    finishedAt: finishedAt ? new Date(finishedAt) : null,
  };
}

/** Parses a run hash; null when empty. Exported for the history writer, which reads hashes in bulk. */
export function toLiveRun(id: string, hash: Record<string, string>): LiveRun | null {
  if (!hash || !hash.status) return null;
  const outputs: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith(OUTPUT)) outputs[field.slice(OUTPUT.length)] = JSON.parse(value);
  }
  return {
    id,
    flowId: hash.flowId,
    workspaceId: hash.workspaceId,
    ownerId: hash.ownerId,
    flowVersion: Number(hash.flowVersion),
    status: hash.status as RunStatus,
    currentStepId: hash.currentStepId || null,
    dedupeKey: hash.dedupeKey || null,
    error: hash.error ? (JSON.parse(hash.error) as RunError) : null,
    revision: Number(hash.rev),
    createdAt: new Date(hash.createdAt),
    updatedAt: new Date(hash.updatedAt),
    finishedAt: hash.finishedAt ? new Date(hash.finishedAt) : null,
    spec: parseSpec(hash.spec),
    triggerOutput: JSON.parse(hash.trigger),
    outputs,
  };
}

// Runs of one flow version share one spec text; parsing it once keeps the same object, so the
// template compiler's per-object cache (renderDeep) compiles each input mapping once per process.
const specs = new Map<string, FlowSpec>();
const MAX_SPECS = 500;

function parseSpec(text: string): FlowSpec {
  let spec = specs.get(text);
  if (!spec) {
    if (specs.size >= MAX_SPECS) specs.clear();
    spec = JSON.parse(text) as FlowSpec;
    specs.set(text, spec);
  }
  return spec;
}
