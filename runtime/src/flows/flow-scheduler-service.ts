import { RunReconciler } from '@flowcard/engine';
import { RuntimeTokens } from '../container/runtime-tokens';
import { pinoCardLogger } from '../logging/pino-card-logger';
import { defineService } from '../services/runtime-service';
import { FlowTokens } from './flow-tokens';
import { pollScheduleAssertion } from './poll-schedule-assertion';

const PAGE = 200;

/**
 * The scheduler role's share: at start, every enabled flow's poll schedule is upserted (BullMQ job
 * schedulers are idempotent, so several schedulers, or a restart, never double them). Enabling and
 * disabling a flow through the API keep them current afterwards; the trigger workers run the polls.
 * Then the run reconciler (RunReconciler) runs every FLOWCARD_RECONCILE_INTERVAL_MS and whenever
 * Redis reconnects: it re-creates schedules Redis lost and resumes runs whose live state is gone.
 */
export const flowSchedulerService = defineService({
  name: 'flow-scheduler',
  roles: ['scheduler'],
  dependencies: {
    engine: FlowTokens.engine,
    ports: FlowTokens.ports,
    config: RuntimeTokens.config,
    logger: RuntimeTokens.logger,
  },
  create({ engine, ports, config, logger }) {
    const reconciler = engine.runner.recovery
      ? new RunReconciler({
          redis: engine.connection,
          keyPrefix: config.redisPrefix,
          runs: ports.runs,
          recovery: engine.runner.recovery,
          schedules: [pollScheduleAssertion(engine.poller, ports.flows)],
          intervalMs: config.recovery.reconcileIntervalMs,
          logger: pinoCardLogger(logger.child({ area: 'reconciler' })),
        })
      : undefined;
    return {
      async start() {
        let afterId: string | undefined;
        let scheduled = 0;
        for (;;) {
          const page = await ports.flows.listEnabled({ limit: PAGE, ...(afterId ? { afterId } : {}) });
          for (const flow of page) {
            try {
              if (await engine.poller.schedule(flow)) scheduled += 1;
            } catch (error) {
              logger.warn({ err: error, flowId: flow.id }, 'poll schedule not set for a flow');
            }
          }
          if (page.length < PAGE) break;
          afterId = page[page.length - 1].id;
        }
        logger.info({ scheduled }, 'poll schedules of enabled flows upserted');
        await reconciler?.start();
      },
      async stop() {
        // Schedules live in Redis and keep their rhythm; only the reconciler runs here.
        await reconciler?.stop();
      },
    };
  },
});
