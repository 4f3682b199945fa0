import type { Redis } from 'ioredis';
import type { TriggerStateRepository } from '../ports/trigger-state-repository';
import type { RunClaim } from '../runs/run-state-store';

export interface TriggerDedupeOptions {
  redis: Redis;
  /** Redis key prefix (a fresh one per test file). */
  keyPrefix: string;
  /** How long Redis remembers a key. Default 90 days: Meta keeps leads retrievable for 90 days. */
  ttlSeconds?: number;
  /**
   * Durable record of claimed keys. When given, a key Redis has not seen is also claimed there, so
   * a Redis that lost its data (or an expired key) still cannot start a second run.
   */
  store?: TriggerStateRepository;
  clock?: { now(): Date };
}

/**
 * "One item starts exactly one run per flow", however often the webhook and the poller report it.
 * Redis `SET NX` is the gate every worker shares; the optional store is the durable second check.
 */
export class TriggerDedupe {
  private readonly ttlSeconds: number;

  constructor(private readonly options: TriggerDedupeOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 90 * 24 * 3600;
  }

  /** True exactly once per (flowId, key): the caller that gets true starts the run. */
  async claim(flowId: string, key: string): Promise<boolean> {
    const set = await this.options.redis.set(this.redisKey(flowId, key), '1', 'EX', this.ttlSeconds, 'NX');
    if (set !== 'OK') return false;
    if (!this.options.store) return true;
    let claimed: string[];
    try {
      claimed = await this.options.store.claimKeys(flowId, [key], this.options.clock?.now() ?? new Date());
    } catch (error) {
      // Nobody holds the claim now: leaving the Redis key would hide the item for the whole TTL.
      await this.options.redis.del(this.redisKey(flowId, key));
      throw error;
    }
    // Claimed before (e.g. Redis lost its data): keep the Redis key so the fast path answers next time.
    return claimed.length === 1;
  }

  /**
   * The Redis claim of (flowId, key) for a run starter that takes it in the script creating the run
   * (FlowRunner: one round trip less per item), or null when a durable store is configured: its
   * claim has to come after Redis's and before the run exists, so `claim` must be used then.
   * Whoever takes a folded claim gives it back with `release` when the start fails, as after `claim`.
   */
  foldableClaim(flowId: string, key: string): RunClaim | null {
    if (this.options.store) return null;
    return { key: this.redisKey(flowId, key), ttlSeconds: this.ttlSeconds };
  }

  /**
   * Gives a claim back when the run could not be started (e.g. enqueueing failed), so the next
   * delivery or poll tries again instead of the item being lost.
   */
  async release(flowId: string, key: string): Promise<void> {
    // Durable claim first: if this fails the Redis key still blocks duplicates until the error is seen.
    await this.options.store?.releaseKeys(flowId, [key]);
    await this.options.redis.del(this.redisKey(flowId, key));
  }

  private redisKey(flowId: string, key: string): string {
    return `${this.options.keyPrefix}:seen:${flowId}:${key}`;
  }
}
