import type { LoadedCard } from '../registry/loaded-connector';
import type { MetaRateLimiter, RateLimitKeys } from '../rate-limit/meta-rate-limiter';
import { spreadRelease } from '../rate-limit/spread-release';
import { defaultRateLimitKeys, type RateLimitKeyResolver } from '../runs/rate-limit-keys';
import { decideStepFailure } from '../runs/step-failure-policy';
import type { StepConfiguration } from '../runs/step-configuration-source';
import type { UsageHeaders } from '../http/usage-headers';

/**
 * Thrown (by name, docs/conventions.md #5) when a trigger call must wait for the shared rate limits: the trigger
 * worker moves its job to delayed for `delayMs` instead of retrying it.
 */
export class TriggerDelayedError extends Error {
  override readonly name = 'TriggerDelayedError';

  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(`trigger call delayed ${delayMs} ms: ${reason}`);
  }
}

export function isTriggerDelayed(error: unknown): error is TriggerDelayedError {
  return (error as { name?: unknown } | null)?.name === 'TriggerDelayedError';
}

export interface TriggerCallGateOptions {
  /** The limiter every worker shares; without one the gate only passes calls through. */
  limiter?: MetaRateLimiter;
  keys?: RateLimitKeyResolver;
}

/**
 * Webhook fetches, polls and backfills spend the same shared budgets as steps: a call takes its
 * points first (a refusal delays the trigger job until the budget is back, spread so the waiting
 * jobs do not return together), usage headers after it block keys before Meta refuses, and a
 * rate-limited answer blocks the budget that ran out for the wait Meta announced, delaying the job
 * until then (not five quick retries).
 */
export class TriggerCallGate {
  private readonly keys: RateLimitKeyResolver;

  constructor(private readonly options: TriggerCallGateOptions = {}) {
    this.keys = options.keys ?? defaultRateLimitKeys;
  }

  async run<T extends { usage?: UsageHeaders }>(
    card: LoadedCard,
    configuration: StepConfiguration,
    input: Readonly<Record<string, unknown>>,
    call: () => Promise<T>,
  ): Promise<T> {
    const limiter = this.options.limiter;
    if (!limiter) return call();
    const keys: RateLimitKeys = this.keys(card, configuration, input);
    const decision = await limiter.acquire(keys);
    if (!decision.ok)
      throw new TriggerDelayedError(spreadRelease(decision.retryAfterMs), `budget ${decision.key} is spent`);
    let result: T;
    try {
      result = await call();
    } catch (error) {
      const action = decideStepFailure(error, { stepId: 'trigger', attemptsMade: 0, maxAttempts: 1 });
      if (action.kind !== 'delay') throw error;
      await limiter.penalize(keys, action.delayMs, action.scope);
      throw new TriggerDelayedError(spreadRelease(action.delayMs), action.error.message);
    }
    if (result.usage) await limiter.observe(result.usage, keys.app);
    return result;
  }
}
