import { CronExpressionParser } from 'cron-parser';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CardLogger } from '@flowcard/sdk';
import type { FlowSpec } from '@flowcard/schemas';
import type { FlowDocument } from '../ports/flow-repository';
import type { StartedRun, StartRunOptions } from '../runs/flow-runner';
import { RedisScript } from '../runs/redis-script';

export const SCHEDULE_QUEUE = 'flowcard-schedules';
export const SCHEDULE_CARD = 'core/schedule@1';

/** The payload of a schedule tick job: the flow id only. */
export interface ScheduleJobData {
  flowId: string;
}

/** A schedule trigger's input. */
export interface ScheduleInput {
  cron: string;
  timezone?: string;
}

export interface ScheduleTriggersOptions {
  connection: ConnectionOptions;
  /** For the last-tick marks and missed-tick counters (the engine's Redis connection). */
  redis: Redis;
  prefix?: string;
  queueName?: string;
  flows: { get(flowId: string): Promise<FlowDocument | null> };
  runner: { startRun(flow: FlowDocument, output: unknown, options?: StartRunOptions): Promise<StartedRun> };
  logger?: CardLogger;
  now?: () => Date;
}

// KEYS: the flow's marks hash. ARGV: this tick (ms), the previous tick read before ('' = none),
// missed ticks in between. Moves `last` forward only from the value read; returns 1 when it did.
const ADVANCE = new RedisScript(`
local last = redis.call('HGET', KEYS[1], 'last')
if (last or '') ~= ARGV[2] then return 0 end
if last and tonumber(last) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'missed', ARGV[3])
return 1
`);

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The schedule of a flow whose trigger is core/schedule, else undefined. */
export function scheduleOf(spec: Pick<FlowSpec, 'trigger'>): ScheduleInput | undefined {
  if (!spec.trigger.card.startsWith('core/schedule@')) return undefined;
  const input = (spec.trigger.input ?? {}) as Partial<ScheduleInput>;
  return typeof input.cron === 'string' ? { cron: input.cron, timezone: input.timezone ?? 'UTC' } : undefined;
}

/** Why a cron expression and time zone cannot be used, or undefined when they can. */
export function scheduleProblem(
  input: ScheduleInput,
): { field: 'cron' | 'timezone'; reason: string } | undefined {
  const timezone = input.timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return { field: 'timezone', reason: `"${timezone}" is not an IANA time zone (e.g. Europe/Paris, UTC)` };
  }
  const fields = input.cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    return {
      field: 'cron',
      reason: `"${input.cron}" has ${fields} fields; a cron expression has 5 (minute hour day month weekday), or 6 with seconds first`,
    };
  try {
    CronExpressionParser.parse(input.cron, { tz: timezone, strict: false });
  } catch (error) {
    return { field: 'cron', reason: `"${input.cron}" is not a cron expression: ${(error as Error).message}` };
  }
  return undefined;
}

/** The next `count` fire times after `from`, as ISO strings. */
export function nextFireTimes(input: ScheduleInput, count = 3, from = new Date()): string[] {
  const times = CronExpressionParser.parse(input.cron, { tz: input.timezone ?? 'UTC', currentDate: from });
  return Array.from({ length: count }, () => times.next().toISOString() as string);
}

/** Fire times strictly between two instants (missed ticks), counted up to `limit`. */
function firesBetween(input: ScheduleInput, after: Date, before: Date, limit = 10_000): number {
  const times = CronExpressionParser.parse(input.cron, {
    tz: input.timezone ?? 'UTC',
    currentDate: after,
    endDate: before,
  });
  let count = 0;
  while (count < limit && times.hasNext()) {
    const next = times.next().getTime();
    if (next >= before.getTime()) break;
    count += 1;
  }
  return count;
}

/**
 * Schedule triggers (core/schedule): one BullMQ job scheduler per enabled flow, keyed by the flow
 * id, on the `flowcard-schedules` queue. BullMQ creates one job per tick for a scheduler id however
 * many processes upsert it, and the run of a tick has an id derived from flow and tick time, so
 * several schedulers and workers still start exactly one run per tick. Each tick compares its time
 * with the previous tick's (kept in Redis): fire times in between are ticks that started nothing
 * (everything was down); they are counted, logged and given to the run as `missedTicks`, not
 * replayed (a "every morning" flow run five times at noon helps nobody).
 */
export class ScheduleTriggers {
  readonly queue: Queue<ScheduleJobData>;
  private worker: Worker<ScheduleJobData, string | null> | undefined;
  private readonly logger: CardLogger;
  private readonly now: () => Date;

  constructor(private readonly options: ScheduleTriggersOptions) {
    this.queue = new Queue<ScheduleJobData>(options.queueName ?? SCHEDULE_QUEUE, {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
    this.logger = options.logger ?? SILENT;
    this.now = options.now ?? ((): Date => new Date());
  }

  /** Starts (or updates) a flow's schedule when its trigger is core/schedule; idempotent. */
  async schedule(flow: FlowDocument): Promise<boolean> {
    const schedule = scheduleOf(flow.spec);
    if (!schedule) return false;
    await this.queue.upsertJobScheduler(
      schedulerId(flow.id),
      { pattern: schedule.cron, tz: schedule.timezone ?? 'UTC' },
      {
        name: 'tick',
        data: { flowId: flow.id },
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      },
    );
    return true;
  }

  async unschedule(flowId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(flowId));
  }

  /** Missed ticks counted for a flow since its schedule started (shown on the flow). */
  async missedTicks(flowId: string): Promise<number> {
    return Number((await this.options.redis.hget(this.marksKey(flowId), 'missed')) ?? 0);
  }

  /** Handles one tick: starts the run of that tick (at most once); returns its id, or null. */
  async tick(job: Job<ScheduleJobData>): Promise<string | null> {
    const flow = await this.options.flows.get(job.data.flowId);
    const schedule = flow && flow.enabled ? scheduleOf(flow.spec) : undefined;
    if (!flow || !schedule) return null;
    const scheduledAt = new Date(tickTime(job));
    const key = this.marksKey(flow.id);
    // The previous tick's time, replaced by this one's only when later (compare-and-set), so a
    // redelivered tick counts nothing twice.
    const previous = await this.options.redis.hget(key, 'last');
    const missed =
      previous !== null && Number(previous) < scheduledAt.getTime()
        ? firesBetween(schedule, new Date(Number(previous)), scheduledAt)
        : 0;
    const advanced = Number(
      await ADVANCE.run(this.options.redis, [key], [scheduledAt.getTime(), previous ?? '', missed]),
    );
    if (advanced === 1 && missed > 0)
      this.logger.warn('schedule ticks missed while no scheduler ran', {
        flowId: flow.id,
        missedTicks: missed,
        since: new Date(Number(previous)).toISOString(),
        until: scheduledAt.toISOString(),
      });
    const output = {
      scheduledAt: scheduledAt.toISOString(),
      firedAt: this.now().toISOString(),
      missedTicks: missed,
    };
    const started = await this.options.runner.startRun(flow, output, {
      dedupeKey: `tick:${scheduledAt.toISOString()}`,
    });
    return started.runId;
  }

  /** Consumes schedule ticks in this process. Closed by `close()`. */
  startWorker(concurrency = 5): Worker<ScheduleJobData, string | null> {
    this.worker ??= new Worker<ScheduleJobData, string | null>(this.queue.name, (job) => this.tick(job), {
      connection: this.options.connection,
      ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
      concurrency,
    });
    return this.worker;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  private marksKey(flowId: string): string {
    return `${this.options.prefix ?? 'bull'}:schedule:${flowId}`;
  }
}

function schedulerId(flowId: string): string {
  return `schedule:${flowId}`;
}

/** The tick a scheduler's job is for: its id ends with the fire time (`repeat:<key>:<ms>`). */
function tickTime(job: Job): number {
  const match = /:(\d{12,})$/.exec(String(job.id));
  if (match) return Number(match[1]);
  return job.timestamp + (job.opts.delay ?? 0);
}
