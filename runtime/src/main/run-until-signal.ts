import type { RuntimeHandle } from './runtime-handle';

/**
 * Keeps a started runtime alive until SIGINT or SIGTERM, then stops it (services, API, connections,
 * embedded servers) and resolves. A second signal while stopping exits at once: an operator pressing
 * Ctrl-C twice means it.
 */
export function runUntilSignal(handle: RuntimeHandle): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(130);
      stopping = true;
      handle.logger.info({ signal }, 'stopping Flowcard');
      handle
        .stop()
        .catch((error: unknown) => handle.logger.error({ err: error }, 'stopping failed'))
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
