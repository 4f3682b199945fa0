import { ConfigurationTokens } from '../configurations/configuration-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';
import { FlowTokens } from './flow-tokens';

/**
 * The flow engine's life in every process: listens for renewed configurations (re-authorised
 * through Connect Meta, token updated through PATCH) to resume parked steps and backfill the
 * trigger; drops flows changed by another process from this process's flow cache; and closes the
 * engine (queues, workers, Redis) last on shutdown.
 */
export const flowEngineService = defineService({
  name: 'flow-engine',
  roles: ['api', 'worker', 'scheduler'],
  dependencies: {
    engine: FlowTokens.engine,
    renewals: ConfigurationTokens.renewals,
    redis: RuntimeTokens.redis,
    logger: RuntimeTokens.logger,
  },
  create({ engine, renewals, redis, logger }) {
    const subscriber = redis.duplicate();
    let stopListening: (() => void) | undefined;
    return {
      async start() {
        stopListening = renewals.onRenewed(async (configurationId) => {
          await engine.configurationRenewed(configurationId);
        });
        subscriber.on('message', (channel: string, flowId: string) => {
          if (channel === engine.invalidationChannel) engine.flows.invalidate(flowId);
        });
        subscriber.on('error', (error: unknown) =>
          logger.warn({ err: error }, 'flow invalidation subscriber error'),
        );
        await subscriber.subscribe(engine.invalidationChannel);
      },
      async stop() {
        stopListening?.();
        await subscriber.quit().catch(() => subscriber.disconnect());
        await engine.close();
      },
    };
  },
});
