import type { Worker } from 'bullmq';
import type { TriggerWorker } from '@flowcard/engine';
import { RuntimeTokens } from '../container/runtime-tokens';
import { defineService } from '../services/runtime-service';
import { FlowTokens } from './flow-tokens';

/**
 * The worker role's share of the flow engine: a step worker (`flowcard-steps`), a trigger worker
 * (`flowcard-triggers`: webhook changes and polls) and the run-history writer draining the Redis
 * outbox to the store in batches. Stopping closes the workers gracefully (in-flight jobs finish;
 * a process killed instead leaves them to the stalled-job check of the other workers) and drains
 * the outbox.
 */
export const flowWorkerService = defineService({
  name: 'flow-worker',
  roles: ['worker'],
  dependencies: { engine: FlowTokens.engine, logger: RuntimeTokens.logger },
  create({ engine, logger }) {
    let steps: Worker | undefined;
    let triggers: TriggerWorker | undefined;
    return {
      async start() {
        steps = engine.startStepWorker();
        triggers = engine.startTriggerWorker();
        engine.writer.start();
        await Promise.all([steps.waitUntilReady(), triggers.worker.waitUntilReady()]);
        logger.info('flow worker consuming step and trigger jobs');
      },
      async stop() {
        await triggers?.close();
        await steps?.close();
        await engine.writer.close();
      },
    };
  },
});
