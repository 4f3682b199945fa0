import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CardExecutor } from '../../../packages/engine/src/executor/card-executor';
import { FlowCache } from '../../../packages/engine/src/flows/flow-cache';
import { flowTriggerKey } from '../../../packages/engine/src/flows/flow-trigger-key';
import { MetaRateLimiter } from '../../../packages/engine/src/rate-limit/meta-rate-limiter';
import { ConnectorRegistry } from '../../../packages/engine/src/registry/connector-registry';
import { FlowRunner } from '../../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../../packages/engine/src/runs/parked-steps';
import { RunHistoryWriter } from '../../../packages/engine/src/runs/run-history-writer';
import { RunStateStore } from '../../../packages/engine/src/runs/run-state-store';
import { TriggerPoller } from '../../../packages/engine/src/triggers/trigger-poller';
import { TriggerRunStarter } from '../../../packages/engine/src/triggers/trigger-run-starter';
import { TRIGGER_QUEUE, TriggerWorker } from '../../../packages/engine/src/triggers/trigger-worker';
import { WebhookRouter } from '../../../packages/engine/src/triggers/webhook-router';
import {
  answerCpuRequests,
  benchConfig,
  finishedFlowReporter,
  tellDriver,
  type BenchMessage,
} from './bench-process';
import {
  BENCH_FLOW_ID,
  PAGE_CONFIGURATION_ID,
  WORKPLACE_CONFIGURATION_ID,
  benchFlow,
  type BenchTarget,
} from './bench-flow';
import { CountingRunRepository, FixedConfigurations, FixedFlowRepository } from './bench-stores';

const UNBOUNDED = { points: 1_000_000_000, durationSec: 60 };

export interface FlowcardWorkerConfig {
  redisUrl: string;
  prefix: string;
  target: BenchTarget;
  /** Per BullMQ worker: the trigger worker and the step worker each get this many. */
  concurrency: number;
}

/**
 * A Flowcard `worker` process as production runs it: the trigger worker (webhook jobs: route, fetch
 * the lead, dedupe, start the run) and the step worker (one job per step) on one Redis, the real
 * registry and executor (axios), the shared Meta rate limiter and the batched history writer.
 * Differences from production, on purpose: configurations come from memory (a warm
 * ConfigurationCache does the same), history is drained into a counting sink instead of MongoDB,
 * and the run claims go to that sink too (see CountingRunRepository and flows.bench.ts).
 * Reports each finished flow (the run's last step completed) as `[runId, time]`.
 */
async function main(): Promise<void> {
  const config = benchConfig<FlowcardWorkerConfig>();
  const { target, prefix } = config;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const registry = new ConnectorRegistry();
  const report = await registry.loadFrom({ directories: [join(__dirname, '..', '..', '..', 'connectors')] });
  if (report.failures.length > 0)
    throw new Error(`connectors failed to load: ${report.failures.map((f) => f.source).join(', ')}`);
  const executor = new CardExecutor();
  const configurations = new FixedConfigurations([
    {
      id: PAGE_CONFIGURATION_ID,
      workspaceId: 'ws_bench',
      ownerId: 'u_bench',
      connector: 'facebook-leads',
      status: 'active',
      values: { graphBaseUrl: target.baseUrl, graphVersion: 'v25.0', pageId: target.pageId },
      secrets: { accessToken: target.pageToken },
    },
    {
      id: WORKPLACE_CONFIGURATION_ID,
      workspaceId: 'ws_bench',
      ownerId: 'u_bench',
      connector: 'workplace',
      status: 'active',
      values: { graphBaseUrl: target.baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: target.workplaceToken },
    },
  ]);
  const flow = benchFlow(
    target,
    flowTriggerKey(benchFlow(target, null).spec, registry.card('facebook-leads/new-lead@1')),
  );
  const state = new RunStateStore({ redis, keyPrefix: prefix });
  const parked = new ParkedSteps({ redis, keyPrefix: prefix });
  const repository = new CountingRunRepository();
  const runner = new FlowRunner({
    connection: redis,
    prefix,
    state,
    parked,
    // Claimed like production (claim, then live state), into the counting sink.
    runs: repository,
    cards: registry,
    executor,
    configurations,
    // The limiter stays on the path (its Redis round trips are part of the cost) but with budgets
    // that never bind: the bench pushes one app and one page far past the production safety net
    // (DEFAULT_APP_BUDGET, 6000 calls/min = 100 calls/s per app).
    rateLimiter: new MetaRateLimiter({ redis, keyPrefix: `${prefix}:rl`, app: UNBOUNDED, object: UNBOUNDED }),
  });
  const writer = new RunHistoryWriter({ state, repository });
  writer.start();

  const triggers = new Queue(TRIGGER_QUEUE, { connection: redis, prefix });
  const flows = new FlowCache({ repository: new FixedFlowRepository(flow) });
  const starter = new TriggerRunStarter(runner);
  const router = new WebhookRouter({
    queue: triggers,
    appSecret: target.appSecret,
    cards: registry,
    flows,
    configurations,
    fetcher: executor,
    starter,
  });
  // The poller is part of the trigger worker's contract; the bench schedules no polls.
  const poller = new TriggerPoller({
    queue: triggers,
    cards: registry,
    flows,
    configurations,
    executor,
    state: {
      getState: async () => null,
      advanceCursor: async () => undefined,
      deleteFlow: async () => undefined,
    },
    starter,
    parked,
  });
  const triggerWorker = new TriggerWorker({
    connection: redis,
    prefix,
    router,
    poller,
    concurrency: config.concurrency,
  });

  const lastStepId = flow.spec.steps[flow.spec.steps.length - 1].id;
  const finished = finishedFlowReporter();
  const stepWorker = runner.createWorker({ concurrency: config.concurrency });
  stepWorker.on('completed', (job, outcome) => {
    if (job.data.stepId === lastStepId && outcome === 'succeeded') finished(job.data.runId);
  });
  stepWorker.on('failed', (job, error) =>
    tellDriver({ type: 'error', message: `step ${String(job?.id)} failed: ${error.message}` }),
  );
  triggerWorker.worker.on('failed', (job, error) =>
    tellDriver({ type: 'error', message: `trigger ${String(job?.id)} failed: ${error.message}` }),
  );
  await Promise.all([stepWorker.waitUntilReady(), triggerWorker.worker.waitUntilReady()]);
  answerCpuRequests();

  process.on('message', (raw: unknown) => {
    if ((raw as BenchMessage).type === 'history') {
      void writer.flush().then(() =>
        tellDriver({
          type: 'history:done',
          runs: repository.runs,
          steps: repository.steps,
          batches: repository.batches,
        }),
      );
    }
  });
  process.once('SIGTERM', () => {
    void (async (): Promise<void> => {
      await triggerWorker.close();
      await runner.close();
      await writer.close();
      await triggers.close();
      await redis.quit();
    })().finally(() => process.exit(0));
  });
  tellDriver({ type: 'ready', flowId: BENCH_FLOW_ID });
}

// Only when forked as a script: the driver imports this file for its types.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `flowcard bench worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
