import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import type { FlowcardStore } from '../../packages/engine/src/ports/flowcard-store';
import type { FlowDocument } from '../../packages/engine/src/ports/flow-repository';
import { FlowRunner } from '../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../packages/engine/src/runs/parked-steps';
import { RunHistory } from '../../packages/engine/src/runs/run-history';
import { RunHistoryWriter } from '../../packages/engine/src/runs/run-history-writer';
import { RunStateStore } from '../../packages/engine/src/runs/run-state-store';
import { createMongoStore } from '../../packages/store/src/create-mongo-store';
import { startLocalService, type LocalService } from '../support/local-service';
import { waitFor } from '../support/wait-for';
import { mongoUri, redisUrl, uniqueName } from '../support/env';
import { openTestDatabase, type TestDatabase } from '../support/mongo';
import { spawnStepWorker, type SpawnedStepWorker } from './support/spawn-step-worker';

const ITEMS = 100;
const LOOP_CONCURRENCY = 5;
// Each item's call waits this long at the service, so the victim always holds calls in flight.
const LATENCY_MS = 400;
const LOCK_MS = 1_500;
const STALLED_MS = 500;
// A job active this long is waiting on the service: it cannot have finished.
const MID_CALL_MS = 150;

describe('a forEach over 100 items, 5 at a time, with a step worker killed by SIGKILL mid-way', () => {
  const prefix = uniqueName(__filename);
  const masterKeys = `k1:${randomBytes(32).toString('base64')}`;
  let service: LocalService;
  /** Item numbers the service received, in order (a number twice = a call repeated). */
  const calls: number[] = [];
  let database: TestDatabase;
  let store: FlowcardStore;
  let redis: Redis;
  let runner: FlowRunner;
  let writer: RunHistoryWriter;
  let history: RunHistory;
  const workers: SpawnedStepWorker[] = [];
  let flow: FlowDocument;

  beforeAll(async () => {
    service = await startLocalService((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { n } = JSON.parse(body) as { n: number };
        calls.push(n);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ n }));
        }, LATENCY_MS);
      });
    });
    database = await openTestDatabase(__filename);
    store = createMongoStore(database.connection);
    await store.ensureIndexes();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const state = new RunStateStore({ redis, keyPrefix: prefix });
    // This runner only starts runs: steps run in the worker processes.
    runner = new FlowRunner({
      connection: redis,
      prefix,
      state,
      parked: new ParkedSteps({ redis, keyPrefix: prefix }),
      cards: { card: () => undefined },
      executor: { execute: () => Promise.reject(new Error('steps run in the worker processes')) },
      configurations: { get: () => Promise.resolve(null) },
    });
    writer = new RunHistoryWriter({ state, repository: store.runs, flushIntervalMs: 100 });
    writer.start();
    history = new RunHistory(state, store.runs);
    const spec: FlowSpec = {
      name: 'Every line to the service',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'unused', input: { pageId: '1' } },
      steps: [
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          concurrency: LOOP_CONCURRENCY,
          maxItems: ITEMS,
          steps: [
            {
              id: 'send',
              card: 'core/http-request@1',
              input: { method: 'POST', url: `${service.url}/lines`, body: { n: '{{item}}' } },
            },
          ],
        },
      ],
    };
    flow = await store.flows.create({ workspaceId: 'ws1', ownerId: 'u1', enabled: true, spec });
    const config = {
      redisUrl: redisUrl(),
      prefix,
      mongoUri: mongoUri(),
      dbName: database.name,
      concurrency: 4,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_MS,
    };
    workers.push(
      ...(await Promise.all([0, 1].map(() => spawnStepWorker(config, { FLOWCARD_MASTER_KEYS: masterKeys })))),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await runner?.close();
    await writer?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      await redis.quit();
    }
    await database?.close();
    await service?.close();
  });

  it('finishes with 100 outputs, each item run to completion once, none lost', async () => {
    const items = Array.from({ length: ITEMS }, (_, n) => n);
    const { runId } = await runner.startRun(flow, { items });

    const [victim, survivor] = workers;
    let midCall: string[] = [];
    await waitFor('the first worker to be mid-call on loop items', () => {
      const held = [...victim.inFlight];
      midCall = held
        .filter(([jobId, since]) => jobId.includes(':send@each.') && Date.now() - since >= MID_CALL_MS)
        .map(([jobId]) => jobId);
      // Mid-way: some items done, at least one item held by the victim, mid-call.
      return calls.length >= 20 && midCall.length > 0 ? true : undefined;
    });
    const heldAtKill = victim.inFlight.size;
    victim.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    const run = await waitFor(
      'the run to finish',
      async () => {
        const current = await history.getRun(runId);
        return current?.status === 'succeeded' || current?.status === 'failed' ? current : undefined;
      },
      60_000,
    );
    expect(run.status).toBe('succeeded');
    // The items cut short mid-call were finished by the survivor under the same job ids.
    for (const jobId of midCall) expect(survivor.completed.get(jobId)).toBe('succeeded');

    // History reaches the store in batches: wait for the loop's own record (written as it ends).
    await writer.flush();
    const steps = await waitFor('the loop step record in the store', async () => {
      await writer.flush();
      const all = await store.runs.listSteps(runId);
      return all.some((step) => step.stepId === 'each' && step.status === 'succeeded') ? all : undefined;
    });
    const loop = steps.find((step) => step.stepId === 'each');
    expect((loop?.output as Array<{ body: { n: number } }>).map((output) => output.body.n)).toEqual(items);
    // One succeeded record per item: none run twice to completion, none lost.
    const succeeded = steps.filter((step) => step.status === 'succeeded' && step.stepId.startsWith('send@'));
    expect(succeeded.map((step) => step.stepId).sort()).toEqual(items.map((n) => `send@each.${n}`).sort());
    expect(steps.filter((step) => step.status === 'failed')).toEqual([]);
    // At-least-once: only a call the victim had in flight may have reached the service twice.
    expect(new Set(calls).size).toBe(ITEMS);
    expect(calls.length - ITEMS).toBeLessThanOrEqual(heldAtKill);
  });
});
