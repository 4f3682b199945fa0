import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { UsageHeaders } from '../http/usage-headers';

/** Which budgets a call spends: the Meta app's, and each page / business object it touches. */
export interface RateLimitKeys {
  /** Meta app id (or any id standing for the app budget, e.g. the configuration id). */
  app?: string;
  /** Page ids, group ids, ad accounts… each with its own Business Use Case budget. */
  objects?: readonly string[];
}

export type RateLimitDecision = { ok: true } | { ok: false; retryAfterMs: number; key: string };

export interface RateLimitBudget {
  /** Calls allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSec: number;
}

export interface MetaRateLimiterOptions {
  /** Shared by every worker: this is what makes the limit global. */
  redis: Redis;
  /** Redis key prefix, e.g. `flowcard:rl` (a fresh one per test file). */
  keyPrefix: string;
  /**
   * Static budget per Meta app, a safety net under the adaptive one (`observe`). Default 6000 calls
   * / 60 s (DEFAULT_APP_BUDGET).
   */
  app?: RateLimitBudget;
  /** Static budget per page / business object. Default 1200 calls / 60 s (DEFAULT_OBJECT_BUDGET). */
  object?: RateLimitBudget;
  /** Usage percent at which a key is blocked before Meta refuses (default 90). */
  usageThreshold?: number;
  /** How long a key stays blocked when usage crosses the threshold without an announced wait (default 60 s). */
  usageBackoffMs?: number;
}

/**
 * Default static budgets. They are a safety net, not the real limit: Meta's app budget is 200 calls
 * per hour × the app's users and its Business Use Case budgets scale with a page's engagement, and
 * what keeps Flowcard under them is the adaptive path (`observe` reads X-App-Usage and
 * X-Business-Use-Case-Usage on every answer and blocks a key at `usageThreshold` percent, and
 * `penalize` blocks it when Meta refuses a call). The former 600 calls/min per app capped a
 * deployment at 10 calls/s in total per app key, and since a configuration without an `appId` is
 * its own app key (every Workplace integration), at ~10 flows/s per integration, far below what
 * Meta allows. 6000/min per app and 1200/min per page stop a runaway loop within a minute while
 * never binding for normal traffic. Deployments with known budgets pass `app` / `object`.
 */
export const DEFAULT_APP_BUDGET: Readonly<RateLimitBudget> = { points: 6000, durationSec: 60 };
export const DEFAULT_OBJECT_BUDGET: Readonly<RateLimitBudget> = { points: 1200, durationSec: 60 };

/**
 * The rate limiter every worker shares through Redis (rate-limiter-flexible on one ioredis
 * client). Two budgets: per Meta app and per page/business object. Besides counting calls it adapts
 * to what Meta says: usage headers near 100 % and `rate_limited` errors block the key until access
 * is regained, so the next calls wait here instead of being refused by Meta.
 */
export class MetaRateLimiter {
  private readonly appLimiter: RateLimiterRedis;
  private readonly objectLimiter: RateLimiterRedis;
  private readonly usageThreshold: number;
  private readonly usageBackoffMs: number;

  constructor(options: MetaRateLimiterOptions) {
    const app = options.app ?? DEFAULT_APP_BUDGET;
    const object = options.object ?? DEFAULT_OBJECT_BUDGET;
    this.appLimiter = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.keyPrefix}:app`,
      points: app.points,
      duration: app.durationSec,
    });
    this.objectLimiter = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.keyPrefix}:object`,
      points: object.points,
      duration: object.durationSec,
    });
    this.usageThreshold = options.usageThreshold ?? 90;
    this.usageBackoffMs = options.usageBackoffMs ?? 60_000;
  }

  /**
   * Spends one call from every budget named. When one is exhausted or blocked, the points already
   * taken from the others are given back (the call does not happen) and the longest wait is
   * returned. The budgets are consumed in parallel: each is its own atomic script in Redis, so
   * doing them one after the other only added a round trip per budget to every step; the outcome
   * is the same (all taken, or the taken ones given back).
   */
  async acquire(keys: RateLimitKeys): Promise<RateLimitDecision> {
    const entries = this.entries(keys);
    if (entries.length === 0) return { ok: true };
    const settled = await Promise.allSettled(entries.map(([limiter, key]) => limiter.consume(key, 1)));
    let refused: { entry: [RateLimiterRedis, string]; msBeforeNext: number } | undefined;
    let unexpected: unknown;
    const taken: Array<[RateLimiterRedis, string]> = [];
    for (let i = 0; i < settled.length; i++) {
      const outcome = settled[i];
      if (outcome.status === 'fulfilled') taken.push(entries[i]);
      else if (!(outcome.reason instanceof RateLimiterRes)) unexpected ??= outcome.reason;
      else if (!refused || outcome.reason.msBeforeNext > refused.msBeforeNext)
        refused = { entry: entries[i], msBeforeNext: outcome.reason.msBeforeNext };
    }
    if (refused === undefined && unexpected === undefined) return { ok: true };
    // The call does not happen: give back what was taken.
    await Promise.all(taken.map(([limiter, key]) => limiter.reward(key, 1)));
    if (refused === undefined) throw unexpected;
    const [limiter, key] = refused.entry;
    return {
      ok: false,
      retryAfterMs: Math.max(1, refused.msBeforeNext),
      key: describe(limiter === this.appLimiter, key),
    };
  }

  /**
   * Reads Meta's usage headers after a call. A budget at or above the threshold is blocked until
   * `estimated_time_to_regain_access` (minutes) or, when Meta announces none, for the back-off.
   */
  async observe(usage: UsageHeaders | undefined, appId?: string): Promise<void> {
    if (!usage) return;
    const blocks: Promise<void>[] = [];
    if (appId && usage.app && maxPercent(usage.app) >= this.usageThreshold) {
      blocks.push(this.blockKey(this.appLimiter, appId, this.usageBackoffMs));
    }
    for (const [objectId, entries] of Object.entries(usage.businessUseCase ?? {})) {
      let waitMs = 0;
      for (const entry of Array.isArray(entries) ? entries : []) {
        const regainMs = Number(entry.estimated_time_to_regain_access ?? 0) * 60_000;
        if (regainMs > 0) waitMs = Math.max(waitMs, regainMs);
        else if (maxPercent(entry) >= this.usageThreshold) waitMs = Math.max(waitMs, this.usageBackoffMs);
      }
      if (waitMs > 0) blocks.push(this.blockKey(this.objectLimiter, objectId, waitMs));
    }
    await Promise.all(blocks);
  }

  /**
   * Meta refused a call as rate limited: block the budget that ran out for `retryAfterMs`. The
   * most specific budget is blocked (the page, not the whole app) unless the error says the app
   * budget is exhausted, so other pages keep going.
   */
  async penalize(
    keys: RateLimitKeys,
    retryAfterMs: number,
    scope: 'app' | 'object' = 'object',
  ): Promise<void> {
    const objects = keys.objects ?? [];
    if (scope === 'object' && objects.length > 0) {
      await Promise.all(objects.map((id) => this.blockKey(this.objectLimiter, id, retryAfterMs)));
    } else if (keys.app) {
      await this.blockKey(this.appLimiter, keys.app, retryAfterMs);
    }
  }

  /** Milliseconds until the key may be used again (0 when free). For dashboards and tests. */
  async blockedForMs(kind: 'app' | 'object', id: string): Promise<number> {
    const limiter = kind === 'app' ? this.appLimiter : this.objectLimiter;
    const res = await limiter.get(id);
    if (!res || res.remainingPoints > 0) return 0;
    return Math.max(0, res.msBeforeNext);
  }

  private entries(keys: RateLimitKeys): Array<[RateLimiterRedis, string]> {
    const out: Array<[RateLimiterRedis, string]> = [];
    if (keys.app) out.push([this.appLimiter, keys.app]);
    for (const id of keys.objects ?? []) out.push([this.objectLimiter, id]);
    return out;
  }

  /** Blocks a key, never shortening a longer block another worker already set. */
  private async blockKey(limiter: RateLimiterRedis, key: string, ms: number): Promise<void> {
    const current = await limiter.get(key);
    const currentlyBlockedMs = current && current.remainingPoints <= 0 ? current.msBeforeNext : 0;
    if (currentlyBlockedMs >= ms) return;
    // rate-limiter-flexible blocks in whole seconds; round up so we never release early.
    await limiter.block(key, Math.max(1, Math.ceil(ms / 1000)));
  }
}

function maxPercent(usage: { call_count?: number; total_time?: number; total_cputime?: number }): number {
  return Math.max(
    Number(usage.call_count ?? 0),
    Number(usage.total_time ?? 0),
    Number(usage.total_cputime ?? 0),
  );
}

function describe(isApp: boolean, key: string): string {
  return `${isApp ? 'app' : 'object'}:${key}`;
}
