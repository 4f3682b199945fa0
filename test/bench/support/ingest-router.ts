import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CardExecutor } from '../../../packages/engine/src/executor/card-executor';
import { FlowCache } from '../../../packages/engine/src/flows/flow-cache';
import { ConnectorRegistry } from '../../../packages/engine/src/registry/connector-registry';
import { TriggerRunStarter } from '../../../packages/engine/src/triggers/trigger-run-starter';
import { TRIGGER_QUEUE } from '../../../packages/engine/src/triggers/trigger-worker';
import { WebhookRouter } from '../../../packages/engine/src/triggers/webhook-router';
import { benchFlow, type BenchTarget } from './bench-flow';
import { FixedConfigurations, FixedFlowRepository } from './bench-stores';

/** The webhook router as the API process holds it, for `ingest` only, and its queue (close it after). */
export interface IngestRouter {
  router: WebhookRouter;
  queue: Queue;
}

/**
 * What the API side of the webhook endpoint needs: `ingest` verifies X-Hub-Signature-256 and
 * enqueues one `flowcard-triggers` job per change. Routing, fetching and starting runs happen in
 * the worker, so the other collaborators are there only to satisfy the constructor.
 */
export function ingestRouter(redis: Redis, prefix: string, target: BenchTarget): IngestRouter {
  const queue = new Queue(TRIGGER_QUEUE, { connection: redis, prefix });
  const router = new WebhookRouter({
    queue,
    appSecret: target.appSecret,
    cards: new ConnectorRegistry(),
    flows: new FlowCache({ repository: new FixedFlowRepository(benchFlow(target, null)) }),
    configurations: new FixedConfigurations([]),
    fetcher: new CardExecutor(),
    starter: new TriggerRunStarter({
      startRun: () => Promise.reject(new Error('runs start in the worker')),
    }),
  });
  return { router, queue };
}
