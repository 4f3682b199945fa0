import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';
import { RuntimeTokens } from './runtime-tokens';

export interface RuntimeInfrastructure {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly mongoConnection: Connection;
  readonly redis: Redis;
}

/**
 * The runtime's own bindings: configuration, logger and the open connections. These are created
 * (and later closed) by startRuntime, so the container only hands them out.
 */
export function runtimeContainerModule(infrastructure: RuntimeInfrastructure): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(RuntimeTokens.config).toConstantValue(infrastructure.config);
    bind(RuntimeTokens.logger).toConstantValue(infrastructure.logger);
    bind(RuntimeTokens.mongoConnection).toConstantValue(infrastructure.mongoConnection);
    bind(RuntimeTokens.redis).toConstantValue(infrastructure.redis);
  });
}
