import type { Redis } from 'ioredis';
import type { CardLogger, FlowSignal } from '@flowcard/sdk';
import { describeFailure } from '../runs/step-failure-policy';

/** One trigger job that failed for good (out of retries, or not retryable). */
export interface TriggerFailure {
  readonly at: string;
  readonly flowId: string;
  /** The trigger item when known (e.g. the lead id of a webhook change); null for a whole poll. */
  readonly itemKey: string | null;
  /** `webhook` or `poll`. */
  readonly job: string;
  readonly code: string;
  readonly message: string;
  readonly signal: FlowSignal | null;
  readonly attempts: number;
}

/** The counts /health shows: all failures since Redis started keeping them, and by error code. */
export interface TriggerFailureCounts {
  readonly total: number;
  readonly byCode: Record<string, number>;
}

export interface TriggerFailureLogOptions {
  redis: Redis;
  keyPrefix: string;
  /** Failures kept per flow (newest first). Default 100. */
  keepPerFlow?: number;
  logger?: CardLogger;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Failed trigger jobs made visible: each one is logged (flow, item key, classified error: code,
 * signal, message; never a token, the executor's errors are redacted), counted for /health, and
 * kept in a short list per flow that the API shows the flow's owner. Kept in Redis: a failure is
 * about the live system, and a Redis that lost its data also lost the jobs these describe.
 */
export class TriggerFailureLog {
  private readonly keep: number;
  private readonly logger: CardLogger;

  constructor(private readonly options: TriggerFailureLogOptions) {
    this.keep = options.keepPerFlow ?? 100;
    this.logger = options.logger ?? SILENT;
  }

  private flowKey(flowId: string): string {
    return `${this.options.keyPrefix}:trigger-failures:flow:${flowId}`;
  }

  private get countsKey(): string {
    return `${this.options.keyPrefix}:trigger-failures:counts`;
  }

  /** Records one failed job for each flow it concerned (a webhook change may route to several). */
  async record(event: {
    flowIds: readonly string[];
    itemKey: string | null;
    job: string;
    attempts: number;
    error: unknown;
  }): Promise<void> {
    const described = describeFailure(event.error, 'trigger');
    const base = {
      at: new Date().toISOString(),
      itemKey: event.itemKey,
      job: event.job,
      code: described.code,
      message: described.message,
      signal: described.signal,
      attempts: event.attempts,
    };
    this.logger.error('trigger job failed', { ...base, flowIds: [...event.flowIds] });
    const pipeline = this.options.redis.pipeline();
    pipeline.hincrby(this.countsKey, 'total', 1);
    pipeline.hincrby(this.countsKey, `code:${described.code}`, 1);
    for (const flowId of event.flowIds) {
      const failure: TriggerFailure = { ...base, flowId };
      pipeline.lpush(this.flowKey(flowId), JSON.stringify(failure));
      pipeline.ltrim(this.flowKey(flowId), 0, this.keep - 1);
    }
    await pipeline.exec();
  }

  /** A flow's failures, newest first. */
  async list(flowId: string, limit = 50): Promise<TriggerFailure[]> {
    const raw = await this.options.redis.lrange(this.flowKey(flowId), 0, Math.max(0, limit - 1));
    return raw.map((line) => JSON.parse(line) as TriggerFailure);
  }

  async counts(): Promise<TriggerFailureCounts> {
    const hash = await this.options.redis.hgetall(this.countsKey);
    const byCode: Record<string, number> = {};
    for (const [field, value] of Object.entries(hash))
      if (field.startsWith('code:')) byCode[field.slice('code:'.length)] = Number(value);
    return { total: Number(hash.total ?? 0), byCode };
  }
}
