import type { Logger } from 'pino';
import type { PrunedRuns, RunRepository } from '@flowcard/engine';
import type { ResolvedConfig } from '../config/runtime-config';
import { Ports } from '../container/port-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Runs deleted per store call; calls repeat until nothing is left to delete. */
const PRUNE_BATCH = 1000;

/**
 * Applies the run history retention once: finished runs older than `maxAgeDays` and beyond the
 * newest `maxRuns` are deleted with their step records (0 turns a rule off). Unfinished runs
 * (queued, running, waiting for re-authorisation) are never deleted.
 */
export async function pruneRunHistory(
  runs: RunRepository,
  retention: Required<NonNullable<ResolvedConfig['history']>>,
  now: Date,
): Promise<PrunedRuns> {
  const total = { runs: 0, steps: 0 };
  if (retention.maxAgeDays === 0 && retention.maxRuns === 0) return total;
  for (;;) {
    const pruned = await runs.pruneRuns({
      finishedBefore:
        retention.maxAgeDays > 0 ? new Date(now.getTime() - retention.maxAgeDays * DAY_MS) : undefined,
      keepNewest: retention.maxRuns > 0 ? retention.maxRuns : undefined,
      limit: PRUNE_BATCH,
    });
    total.runs += pruned.runs;
    total.steps += pruned.steps;
    if (pruned.runs < PRUNE_BATCH) return total;
  }
}

/**
 * The scheduler's history retention (like n8n's execution pruning): at start and every
 * `pruneIntervalMs`. Idempotent, so several schedulers running it is harmless.
 */
export const historyRetentionService = defineService({
  name: 'history-retention',
  roles: ['scheduler'],
  dependencies: {
    store: Ports.store,
    clock: Ports.clock,
    config: RuntimeTokens.config,
    logger: RuntimeTokens.logger,
  },
  create({ store, clock, config, logger }) {
    const retention = config.history ?? { maxAgeDays: 14, maxRuns: 10_000, pruneIntervalMs: 60_000 };
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const tick = (log: Logger): Promise<void> => {
      running ??= (async () => {
        try {
          const pruned = await pruneRunHistory(store.runs, retention, clock.now());
          if (pruned.runs > 0) log.info({ ...pruned, retention }, 'run history pruned');
        } catch (error) {
          log.error({ err: error }, 'run history pruning failed');
        } finally {
          running = undefined;
        }
      })();
      return running;
    };
    return {
      async start() {
        void tick(logger);
        timer = setInterval(() => void tick(logger), retention.pruneIntervalMs);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  },
});
