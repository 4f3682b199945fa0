import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';
import { ConfigurationTokens } from './configuration-tokens';

/**
 * Listens on the invalidation channel and drops changed configurations from this process's resolver
 * cache, so a token rotated through any API process is used by this process's next step. Runs in
 * every role: each of them resolves configurations. A subscriber needs a connection of its own.
 */
export const configurationInvalidationService = defineService({
  name: 'configuration-invalidation',
  roles: ['api', 'worker', 'scheduler'],
  dependencies: {
    redis: RuntimeTokens.redis,
    logger: RuntimeTokens.logger,
    resolver: ConfigurationTokens.resolver,
  },
  create({ redis, logger, resolver }) {
    const subscriber = redis.duplicate();
    return {
      async start() {
        subscriber.on('message', (channel: string, id: string) => {
          if (channel === resolver.channel) resolver.drop(id);
        });
        subscriber.on('error', (error: unknown) =>
          logger.warn({ err: error }, 'configuration invalidation subscriber error'),
        );
        await subscriber.subscribe(resolver.channel);
      },
      async stop() {
        await subscriber.quit().catch(() => subscriber.disconnect());
      },
    };
  },
});
