import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import type { FlowSpec } from '@flowcard/schemas';
import type { FlowcardStore } from '../../packages/engine/src/ports/flowcard-store';
import type { FlowDocument } from '../../packages/engine/src/ports/flow-repository';
import type { RunStepRecord } from '../../packages/engine/src/ports/run-repository';
import { FlowRunner } from '../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../packages/engine/src/runs/parked-steps';
import { RunHistory } from '../../packages/engine/src/runs/run-history';
import { RunHistoryWriter } from '../../packages/engine/src/runs/run-history-writer';
import { RunStateStore } from '../../packages/engine/src/runs/run-state-store';
import { EnvKeyProvider } from '../../packages/engine/src/secrets/env-key-provider';
import { SecretSealer } from '../../packages/engine/src/secrets/secret-sealer';
import { createMongoStore } from '../../packages/store/src/create-mongo-store';
import { waitFor } from '../support/wait-for';
import { mongoUri, redisUrl, uniqueName } from '../support/env';
import { openTestDatabase, type TestDatabase } from '../support/mongo';
import { spawnStepWorker, type SpawnedStepWorker } from './support/spawn-step-worker';

const RUNS = 24;
// Every Graph answer waits this long, so each worker always holds several calls in flight. Far
// above MID_CALL_MS: a job seen active for MID_CALL_MS cannot have finished even when the worker's
// "active" report reaches the test late on a loaded machine.
const LATENCY_MS = 1_000;
const CONCURRENCY = 4;
// A dead worker's locks lapse after LOCK_MS; the survivor looks for stalled jobs every STALLED_MS.
const LOCK_MS = 1_500;
const STALLED_MS = 500;
// A message job active this long is waiting on the emulator's latency (its caches are warm by then).
const MID_CALL_MS = 150;

describe('a step worker killed with SIGKILL mid-flow', () => {
  const prefix = uniqueName(__filename);
  const masterKeys = `k1:${randomBytes(32).toString('base64')}`;
  let emulator: MetaEmulator;
  let database: TestDatabase;
  let store: FlowcardStore;
  let redis: Redis;
  let state: RunStateStore;
  let runner: FlowRunner;
  let writer: RunHistoryWriter;
  let history: RunHistory;
  const workers: SpawnedStepWorker[] = [];
  let flow: FlowDocument;
  /** Job ids the killed worker had started and not finished when it died. */
  let heldAtKill: string[] = [];

  beforeAll(async () => {
    emulator = await startMetaEmulator();
    // Throttling off: the run must not be slowed or refused by usage, only by the kill.
    emulator.control.setUsageBudget({ appCalls: 1e9, pageCalls: 1e9 });
    database = await openTestDatabase(__filename);
    store = createMongoStore(database.connection);
    await store.ensureIndexes();
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    state = new RunStateStore({ redis, keyPrefix: prefix });
    // This runner only starts runs (as the API and the trigger worker do): steps run in the workers.
    runner = new FlowRunner({
      connection: redis,
      prefix,
      state,
      parked: new ParkedSteps({ redis, keyPrefix: prefix }),
      cards: { card: () => undefined },
      executor: { execute: () => Promise.reject(new Error('steps run in the worker processes')) },
      configurations: { get: () => Promise.resolve(null) },
    });
    // The history writer drains the Redis outbox into MongoDB from whichever process runs it; here, the test's.
    writer = new RunHistoryWriter({ state, repository: store.runs, flushIntervalMs: 100 });
    writer.start();
    history = new RunHistory(state, store.runs);

    const sealer = new SecretSealer(EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: masterKeys }));
    const page = emulator.fixtures.pages[0];
    const pageConfiguration = await store.configurations.create({
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'facebook-leads',
      kind: 'default',
      nickname: 'Bakery leads',
      values: { graphBaseUrl: emulator.baseUrl, graphVersion: 'v25.0', pageId: page.id },
      secrets: sealer.seal({ accessToken: page.accessToken }),
    });
    const workplaceConfiguration = await store.configurations.create({
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'workplace',
      kind: 'default',
      nickname: 'Workplace',
      values: { graphBaseUrl: emulator.baseUrl, graphVersion: 'v25.0' },
      secrets: sealer.seal({ accessToken: emulator.fixtures.workplace.adminToken }),
    });
    flow = await store.flows.create({
      workspaceId: 'ws1',
      ownerId: 'u1',
      enabled: true,
      spec: leadFlow(
        pageConfiguration.id,
        workplaceConfiguration.id,
        emulator.fixtures.workplace.members[0].id,
      ),
    });

    const config = {
      redisUrl: redisUrl(),
      prefix,
      mongoUri: mongoUri(),
      dbName: database.name,
      concurrency: CONCURRENCY,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_MS,
    };
    workers.push(
      ...(await Promise.all([0, 1].map(() => spawnStepWorker(config, { FLOWCARD_MASTER_KEYS: masterKeys })))),
    );
  }, 180_000);

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
    await emulator?.close();
  });

  it('finishes every run with one succeeded record per step, the survivor taking over the stalled jobs', async () => {
    emulator.control.setLatency(LATENCY_MS);
    const form = emulator.fixtures.pages[0].forms[0];
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const lead = emulator.control.createLead({
        formId: form.id,
        fieldData: { email: `sigkill${i}@example.com` },
      });
      const event = { leadgen_id: lead.id, page_id: lead.pageId, form_id: form.id, tag: `r${i}` };
      runIds.push((await runner.startRun(flow, event, { dedupeKey: lead.id })).runId);
    }

    // Kill the first worker while it holds several jobs, one of them a Workplace message whose call
    // has been waiting on the emulator for a while: it cannot have finished, so it is truly cut short.
    const [victim, survivor] = workers;
    let midCall: string[] = [];
    heldAtKill = await waitFor('the first worker to be mid-call on a message step among several jobs', () => {
      const held = [...victim.inFlight];
      midCall = held
        .filter(([jobId, since]) => isMessageStep(jobId) && Date.now() - since >= MID_CALL_MS)
        .map(([jobId]) => jobId);
      return held.length >= 2 && midCall.length > 0 ? held.map(([jobId]) => jobId) : undefined;
    });
    victim.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    const runs = await waitFor(
      'every run to finish',
      async () => {
        const all = await Promise.all(runIds.map((runId) => history.getRun(runId)));
        return all.every((run) => run?.status === 'succeeded' || run?.status === 'failed') ? all : undefined;
      },
      30_000,
    );
    emulator.control.setLatency(0);
    expect(runs.map((run) => run?.status)).toEqual(runIds.map(() => 'succeeded'));

    // The message jobs cut short mid-call were finished by the survivor, under the same job ids (the
    // other held jobs may have completed in Redis just before the kill, ahead of their IPC report).
    for (const jobId of midCall) expect(survivor.completed.get(jobId)).toBe('succeeded');

    await writer.flush();
    for (const runId of runIds) {
      const steps = await store.runs.listSteps(runId);
      expect({ runId, succeeded: succeededStepIds(steps) }).toEqual({ runId, succeeded: ['lead', 'notify'] });
      expect(steps.filter((step) => step.status === 'failed')).toEqual([]);
    }
  });

  it('sends each run its Workplace message, repeating one only for a message call the dead worker had in flight', () => {
    // At-least-once (engine README, "Decisions"): a worker killed after the emulator received its
    // POST /me/messages but before it stored the output leaves the step to be run again, so that
    // message is sent twice. No other path repeats a call; the bound is the message steps it held.
    const messages = emulator.control.workplaceMessages();
    const perRun = Array.from(
      { length: RUNS },
      (_, i) => messages.filter((m) => m.text.endsWith(`[r${i}]`)).length,
    );
    expect(perRun.every((count) => count >= 1)).toBe(true);
    const heldMessageSteps = heldAtKill.filter(isMessageStep).length;
    expect(perRun.reduce((sum, count) => sum + count - 1, 0)).toBeLessThanOrEqual(heldMessageSteps);
  });

  function leadFlow(
    pageConfigurationId: string,
    workplaceConfigurationId: string,
    recipientId: string,
  ): FlowSpec {
    return {
      name: 'New lead → Workplace message',
      // This test is about at-least-once redelivery (a message cut short is sent again); the default
      // "hold" for non-repeatable cards is tested in test/flows/unknown-outcome.test.ts and
      // test/resilience/intake-sigkill.test.ts.
      onUnknownOutcome: 'repeat',
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: pageConfigurationId,
        input: { pageId: emulator.fixtures.pages[0].id },
      },
      steps: [
        {
          id: 'lead',
          card: 'facebook-leads/get-lead@1',
          configurationId: pageConfigurationId,
          input: { leadId: '{{trigger.output.leadgen_id}}' },
        },
        {
          id: 'notify',
          card: 'workplace/send-message@1',
          configurationId: workplaceConfigurationId,
          input: {
            recipientIds: [recipientId],
            text: 'New lead {{steps.lead.output.fields.email}} [{{trigger.output.tag}}]',
          },
        },
      ],
    };
  }
});

function succeededStepIds(steps: readonly RunStepRecord[]): string[] {
  return steps.filter((step) => step.status === 'succeeded').map((step) => step.stepId);
}

/** Step job ids are `${runId}:${stepId}:${generation}` (FlowRunner.stepJobId). */
function isMessageStep(jobId: string): boolean {
  return jobId.split(':')[1] === 'notify';
}
