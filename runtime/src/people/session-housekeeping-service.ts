import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';
import { PeopleTokens } from './people-tokens';

/** How often expired sessions are deleted. Expiry itself is checked on every request. */
export const SESSION_HOUSEKEEPING_MS = 60 * 60_000;

/**
 * The scheduler deletes sessions past their idle or absolute expiry, at start and hourly, so the
 * collection does not keep every sign-in forever. Idempotent: several schedulers may run it.
 */
export const sessionHousekeepingService = defineService({
  name: 'session-housekeeping',
  roles: ['scheduler'],
  dependencies: { sessions: PeopleTokens.sessions, logger: RuntimeTokens.logger },
  create({ sessions, logger }) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const tick = (): Promise<void> => {
      running ??= (async () => {
        try {
          const deleted = await sessions.deleteExpired();
          if (deleted > 0) logger.info({ deleted }, 'expired sessions deleted');
        } catch (error) {
          logger.error({ err: error }, 'session housekeeping failed');
        } finally {
          running = undefined;
        }
      })();
      return running;
    };
    return {
      async start() {
        void tick();
        timer = setInterval(() => void tick(), SESSION_HOUSEKEEPING_MS);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  },
});
