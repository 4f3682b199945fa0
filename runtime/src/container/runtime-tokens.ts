import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';
import { token } from './token';

/** What the runtime itself binds. Packages bind their own tokens in their own ContainerModule. */
export const RuntimeTokens = {
  config: token<ResolvedConfig>('runtime.config'),
  logger: token<Logger>('runtime.logger'),
  /** The mongoose connection to the deployment's database; opened and closed by startRuntime. */
  mongoConnection: token<Connection>('runtime.mongoConnection'),
  /** A shared ioredis client for commands (not for blocking BullMQ workers, which need their own). */
  redis: token<Redis>('runtime.redis'),
} as const;
