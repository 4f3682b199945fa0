import { Ports } from '../container/port-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { ConfigurationTokens } from '../configurations/configuration-tokens';
import { defineService } from '../services/runtime-service';

/**
 * How often the scheduler sweeps: every 15 minutes, so a reminder is never more than an hour late
 * even when a sweep is slow or a scheduler restarts (`flowcard lifecycle sweep` runs one on demand).
 */
export const LIFECYCLE_INTERVAL_MS = 15 * 60_000;

/**
 * The scheduler's token-lifecycle job: a sweep and a webhook subscription check at start and then every 15 minutes (see
 * TokenLifecycleSweep for why two schedulers never send a reminder twice), plus housekeeping of
 * expired OAuth states. An interval rather than a BullMQ job scheduler: the sweep is idempotent
 * and version-checked, so several schedulers running it is harmless and needs no queue.
 */
export const tokenLifecycleService = defineService({
  name: 'token-lifecycle',
  roles: ['scheduler'],
  dependencies: {
    sweep: ConfigurationTokens.lifecycleSweep,
    subscriptions: ConfigurationTokens.subscriptionHealth,
    oauthStates: Ports.oauthStates,
    clock: ConfigurationTokens.clock,
    logger: RuntimeTokens.logger,
  },
  create({ sweep, subscriptions, oauthStates, clock, logger }) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const tick = (): Promise<void> => {
      running ??= (async () => {
        try {
          await sweep.run();
          await subscriptions.run();
          await oauthStates.deleteExpired(clock.now());
        } catch (error) {
          logger.error({ err: error }, 'token lifecycle sweep failed');
        } finally {
          running = undefined;
        }
      })();
      return running;
    };
    return {
      async start() {
        void tick();
        timer = setInterval(() => void tick(), LIFECYCLE_INTERVAL_MS);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  },
});
