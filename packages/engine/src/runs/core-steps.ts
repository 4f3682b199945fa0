import { parseDuration } from '@flowcard/sdk';
import type { RateLimitKeys } from '../rate-limit/meta-rate-limiter';
import type { LoadedCard } from '../registry/loaded-connector';
import type { RunStateStore } from './run-state-store';

/**
 * What the flow engine does around the built-in cards of `connectors/core` (the cards themselves
 * are ordinary handlers): filter and transform read the run's data when their `data` input is not
 * mapped, a filter that does not pass ends the run as `filtered`, and a delay holds its step's job
 * delayed in Redis until its wake time, fixed at the first execution.
 */
function coreKey(card: LoadedCard): string | undefined {
  return card.connector.manifest.name === 'core' ? card.spec.key : undefined;
}

/** The input of a step, with the run's data as `data` for core/filter and core/transform when not mapped. */
export function withRunData(
  card: LoadedCard,
  input: Record<string, unknown>,
  runData: unknown,
): Record<string, unknown> {
  const key = coreKey(card);
  if ((key === 'filter' || key === 'transform') && input.data === undefined)
    return { ...input, data: runData };
  return input;
}

/** True when a step's output ends the run as `filtered` (core/filter answered passed: false). */
export function filteredOut(card: LoadedCard, output: unknown): boolean {
  return coreKey(card) === 'filter' && (output as { passed?: unknown } | null)?.passed === false;
}

/**
 * Rate-limit budgets of a core card: an HTTP request spends (and a 429 penalises) the budget of
 * the host it calls, never one shared by every flow; the other core cards call nothing.
 */
export function coreRateLimitKeys(
  card: LoadedCard,
  input: Readonly<Record<string, unknown>>,
): RateLimitKeys | undefined {
  const key = coreKey(card);
  if (key === undefined) return undefined;
  if (key !== 'http-request') return { app: 'core:local' };
  let host = 'relative';
  try {
    host = new URL(String(input.url)).host;
  } catch {
    // A path under the configuration's base URL: the configuration's budget below.
  }
  return { app: `http:${host}` };
}

/** The same, from a card reference and a stored output (a redelivered step's job). */
export function filteredOutput(cardRef: string, output: unknown): boolean {
  return cardRef.startsWith('core/filter@') && (output as { passed?: unknown } | null)?.passed === false;
}

export function isDelay(card: LoadedCard): boolean {
  return coreKey(card) === 'delay';
}

/** The wake time of a delay step, and whether this execution fixed it (the first one). */
export interface DelayWake {
  until: Date;
  first: boolean;
}

/**
 * The wake time of a core/delay step of a run: `until`, or now + `for`, stored once in the run's
 * hash (HSETNX), so a redelivered job, a retry or a worker restarted mid-wait waits for the same
 * instant. Undefined when the input names no valid time: the card's handler then fails the step
 * with the reason.
 */
export async function delayWake(
  state: RunStateStore,
  runId: string,
  waitKey: string,
  input: Record<string, unknown>,
  now: Date,
): Promise<DelayWake | undefined> {
  let until: number | undefined;
  if (typeof input.until === 'string') {
    const parsed = Date.parse(input.until);
    until = Number.isFinite(parsed) ? parsed : undefined;
  } else if (typeof input.for === 'string') {
    const ms = parseDuration(input.for);
    until = ms === undefined ? undefined : now.getTime() + ms;
  }
  if (until === undefined) return undefined;
  const field = `wake:${waitKey}`;
  const key = state.runKey(runId);
  const first = (await state.redis.hsetnx(key, field, String(until))) === 1;
  const stored = first ? until : Number(await state.redis.hget(key, field));
  return { until: new Date(Number.isFinite(stored) ? stored : until), first };
}
