import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';
import { FlowTokens } from './flow-tokens';

const PAGE = 200;

/**
 * The scheduler role's share: at start, every enabled flow's poll schedule is upserted (BullMQ job
 * schedulers are idempotent, so several schedulers, or a restart, never double them). Enabling and
 * disabling a flow through the API keep them current afterwards; the trigger workers run the polls.
 */
export const flowSchedulerService = defineService({
  name: 'flow-scheduler',
  roles: ['scheduler'],
  dependencies: { engine: FlowTokens.engine, ports: FlowTokens.ports, logger: RuntimeTokens.logger },
  create({ engine, ports, logger }) {
    return {
      async start() {
        let afterId: string | undefined;
        let scheduled = 0;
        for (;;) {
          const page = await ports.flows.listEnabled({ limit: PAGE, ...(afterId ? { afterId } : {}) });
          for (const flow of page) {
            try {
              if (await engine.poller.schedule(flow)) scheduled += 1;
              if (await engine.schedules.schedule(flow)) scheduled += 1;
            } catch (error) {
              logger.warn({ err: error, flowId: flow.id }, 'poll schedule not set for a flow');
            }
          }
          if (page.length < PAGE) break;
          afterId = page[page.length - 1].id;
        }
        logger.info({ scheduled }, 'poll schedules of enabled flows upserted');
      },
      async stop() {
        // Schedules live in Redis and keep their rhythm; nothing runs here between starts.
      },
    };
  },
});
