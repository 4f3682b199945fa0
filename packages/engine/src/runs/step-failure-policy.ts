import { isCardError, type FlowSignal } from '@flowcard/sdk';
import { formatErrorMessage } from '../errors/error-code';
import { flowCodes } from '../errors/codes/flow-codes';
import type { RunError } from '../ports/run-repository';

/** What the runner does with a failed step, decided here and nowhere else (docs/conventions.md #6). */
export type StepFailureAction =
  /** Try again after BullMQ's capped exponential back-off (counts as an attempt). */
  | { kind: 'retry'; error: RunError }
  /** Wait until access is regained, then run again (not an attempt); block the rate-limit key. */
  | { kind: 'delay'; error: RunError; delayMs: number; scope: 'app' | 'object' }
  /** Park until the configuration is re-authorised. */
  | { kind: 'park'; error: RunError }
  /** Fail the run now. */
  | { kind: 'fail'; error: RunError };

export interface StepFailureContext {
  stepId: string;
  /** Attempts already made, not counting this one (BullMQ attemptsMade). */
  attemptsMade: number;
  /** Attempts allowed for retryable failures (BullMQ attempts). */
  maxAttempts: number;
  /** Wait when a rate_limited error names none. Default 60 s. */
  defaultRateLimitWaitMs?: number;
}

/** Graph code 4 is the app-wide limit; the others (17, 32, 613, 80001, 80005) concern one object or user. */
const APP_WIDE_GRAPH_CODES = new Set([4]);

/**
 * Maps a step failure to an action. Errors are recognised by name and signal, never instanceof
 * (docs/conventions.md #5): a CardError's signal decides; an engine FlowcardError's category does when it is a
 * signal; anything else is a crash and is retried.
 */
export function decideStepFailure(error: unknown, context: StepFailureContext): StepFailureAction {
  const described = describeFailure(error, context.stepId);
  switch (described.signal) {
    case 'rate_limited': {
      const details = (error as { details?: { graphCode?: unknown } }).details;
      const scope = APP_WIDE_GRAPH_CODES.has(Number(details?.graphCode)) ? 'app' : 'object';
      const retryAfterMs = Number((error as { retryAfterMs?: unknown }).retryAfterMs);
      const delayMs =
        Number.isFinite(retryAfterMs) && retryAfterMs > 0
          ? retryAfterMs
          : (context.defaultRateLimitWaitMs ?? 60_000);
      return { kind: 'delay', error: described, delayMs, scope };
    }
    case 'auth':
      return { kind: 'park', error: described };
    case 'permission':
    case 'invalid':
      return { kind: 'fail', error: described };
    default: {
      if (context.attemptsMade + 1 < context.maxAttempts) return { kind: 'retry', error: described };
      const spec = flowCodes.FLOWCARD_ERR_RUN_RETRIES_EXHAUSTED;
      const message = formatErrorMessage(spec.message, {
        stepId: context.stepId,
        attempts: context.attemptsMade + 1,
        code: described.code,
        message: described.message,
      });
      return { kind: 'fail', error: { code: spec.code, message, signal: 'retry', stepId: context.stepId } };
    }
  }
}

/** The RunError recorded for a failure: code, message, signal, and the permission when one is missing. */
export function describeFailure(error: unknown, stepId: string): RunError {
  if (isCardError(error)) {
    return {
      code: error.code,
      message: error.message,
      signal: error.signal,
      stepId,
      ...(error.permission ? { permission: error.permission } : {}),
    };
  }
  const named = error as { name?: unknown; code?: unknown; category?: unknown; message?: unknown };
  if (named?.name === 'FlowcardError' && isSignal(named.category)) {
    return { code: String(named.code), message: String(named.message), signal: named.category, stepId };
  }
  const spec = flowCodes.FLOWCARD_ERR_RUN_STEP_CRASHED;
  const message = formatErrorMessage(spec.message, {
    stepId,
    name: typeof named?.name === 'string' ? named.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  });
  return { code: spec.code, message, signal: 'retry', stepId };
}

function isSignal(value: unknown): value is FlowSignal {
  return (
    value === 'retry' ||
    value === 'rate_limited' ||
    value === 'auth' ||
    value === 'permission' ||
    value === 'invalid'
  );
}
