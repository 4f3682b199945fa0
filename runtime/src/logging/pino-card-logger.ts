import type { CardLogger } from '@flowcard/sdk';
import type { Logger } from 'pino';

/** The engine's logger interface over the runtime's pino logger (fields first, as pino wants). */
export function pinoCardLogger(logger: Logger): CardLogger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
  };
}
