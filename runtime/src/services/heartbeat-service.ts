import { hostname } from 'node:os';
import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from './runtime-service';

/** Interval of heartbeats; a process is considered gone after three missed beats. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * Writes `<prefix>:processes:<host>:<pid>` to Redis every 10 s with a 30 s expiry, so operators
 * (and later an admin route) can see which workers and schedulers are alive across machines. It is
 * also the placeholder that proves the worker and scheduler roles start and stop cleanly until the
 * flow engine adds its BullMQ services.
 */
export const heartbeatService = defineService({
  name: 'heartbeat',
  roles: ['worker', 'scheduler'],
  dependencies: { redis: RuntimeTokens.redis, config: RuntimeTokens.config, logger: RuntimeTokens.logger },
  create({ redis, config, logger }) {
    let timer: NodeJS.Timeout | undefined;
    const key = `${config.redisPrefix}:processes:${hostname()}:${process.pid}`;
    const beat = async (): Promise<void> => {
      await redis.set(
        key,
        JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }),
        'PX',
        HEARTBEAT_INTERVAL_MS * 3,
      );
    };
    return {
      async start() {
        await beat();
        timer = setInterval(
          () => beat().catch((error: unknown) => logger.warn({ err: error }, 'heartbeat failed')),
          HEARTBEAT_INTERVAL_MS,
        );
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
        await redis.del(key).catch(() => undefined);
      },
    };
  },
});
