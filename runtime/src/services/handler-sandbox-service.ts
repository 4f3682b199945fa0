import { Ports } from '../container/port-tokens';
import { defineService } from './runtime-service';

/**
 * The handler sandbox starts its processes on first use; this service only ends them when the
 * runtime stops, so no sandbox process outlives its runtime.
 */
export const handlerSandboxService = defineService({
  name: 'handler-sandbox',
  roles: ['api', 'worker', 'scheduler'],
  dependencies: { sandbox: Ports.handlerSandbox },
  optional: {},
  create({ sandbox }) {
    return { start: async () => undefined, stop: () => sandbox.close() };
  },
});
