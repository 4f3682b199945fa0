import { CardError, defineHandler, parseDuration } from '@flowcard/sdk';

/**
 * When the wait ends. In a flow the engine holds the step's job delayed until then and passes
 * `until`, so this only reports it; run on its own (`flowcard card run`), it computes the time
 * from the clock without waiting.
 */
export default defineHandler<{ for?: string; until?: string }, { until: string }>(async (ctx, input) => {
  if (input.until !== undefined) return { until: new Date(input.until).toISOString() };
  const ms = parseDuration(input.for ?? '');
  if (ms === undefined)
    throw new CardError(
      'invalid',
      `"${input.for ?? ''}" is not a duration: write e.g. 30s, 15m, 2h, 1d, 1h30m or PT2S`,
    );
  return { until: new Date(ctx.clock.now().getTime() + ms).toISOString() };
});
