import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import { createMongoStore } from '../../packages/store/src/create-mongo-store';
import { redisUrl } from '../support/env';
import { openNamedTestDatabase, type TestDatabase } from '../support/mongo';
import { waitFor } from '../support/wait-for';
import {
  startFlowcardCluster,
  type ClusterProcess,
  type FlowcardCluster,
  type Json,
} from './support/flowcard-cluster';

const LEADS = 200;
const KILLS = 10;
const LEADS_PER_ROUND = LEADS / KILLS;

jest.setTimeout(300_000);

// The operator test: api, scheduler and two workers as separate OS processes on one Redis
// and one MongoDB, a Lead Ads → Workplace flow, leads arriving while a worker is killed with
// SIGKILL again and again. Every lead must end with exactly one finished run.
describe('workers killed with SIGKILL while 200 leads arrive', () => {
  let cluster: FlowcardCluster;
  let database: TestDatabase;
  let redis: Redis;
  let flowId: string;
  const workers: Array<ClusterProcess | Promise<ClusterProcess>> = [];
  const leadIds: string[] = [];
  let kills = 0;

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    cluster = await startFlowcardCluster({
      file: __filename,
      redisUrl: redisUrl(),
      env: {
        // A dead worker's jobs are taken over after 3 s instead of 30 s, so ten kills fit in a test.
        FLOWCARD_JOB_LOCK_MS: '3000',
        FLOWCARD_POLL_INTERVAL_MS: '10000',
        FLOWCARD_RECONCILE_INTERVAL_MS: '5000',
        LOG_LEVEL: 'warn',
      },
    });
    // Registers the store's models on this connection so close() can empty them on jongodb.
    database = await openNamedTestDatabase(cluster.database);
    createMongoStore(database.connection);
    await Promise.all([cluster.start('scheduler'), ...[0, 1].map(() => startWorker())]);
    const page = cluster.emulator.fixtures.pages[0];
    flowId = await cluster.enabledFlow(leadFlow(cluster, page.id));
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    if (redis && cluster) {
      const keys = await redis.keys(`${cluster.prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    await redis?.quit();
    await database?.close();
  });

  function startWorker(): Promise<ClusterProcess> {
    const started = cluster.start('worker');
    workers.push(started);
    return started;
  }

  it('gives every lead exactly one run and finishes all of them: 0 lost', async () => {
    cluster.emulator.control.setLatency(50);
    const form = cluster.emulator.fixtures.pages[0].forms[0];
    for (let round = 0; round < KILLS; round++) {
      for (let i = 0; i < LEADS_PER_ROUND; i++) {
        const n = round * LEADS_PER_ROUND + i;
        const lead = cluster.emulator.control.createLead({
          formId: form.id,
          fieldData: { email: `lead${n}@mail.example`, full_name: `Lead ${n}` },
        });
        leadIds.push(lead.id);
      }
      // A random moment while this round's leads are being fetched and run.
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 1_000));
      const victim = await aliveWorker();
      victim.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      kills += 1;
      void startWorker();
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    await Promise.all(workers);

    const runs = await waitFor(
      'a finished run for every lead',
      async () => {
        const all: Json[] = await cluster.runsOf(flowId);
        const finished = all.filter((run) => run.status === 'succeeded' || run.status === 'failed');
        return finished.length >= LEADS ? all : undefined;
      },
      180_000,
      1_000,
    );
    const byLead = new Map<string, number>();
    for (const run of runs) byLead.set(run.dedupeKey, (byLead.get(run.dedupeKey) ?? 0) + 1);
    const lost = leadIds.filter((id) => !byLead.has(id));
    const duplicated = [...byLead.values()].filter((count) => count > 1);
    expect({ runs: runs.length, lost: lost.length, duplicatedRuns: duplicated.length }).toEqual({
      runs: LEADS,
      lost: 0,
      duplicatedRuns: 0,
    });
    expect(runs.filter((run) => run.status === 'succeeded')).toHaveLength(LEADS);
  });

  it('sends every lead its Workplace message, repeating at most one per kill', () => {
    const messages = cluster.emulator.control.workplaceMessages();
    const perLead = leadIds.map((id) => messages.filter((m) => m.text.includes(`[${id}]`)).length);
    expect(perLead.filter((count) => count === 0)).toEqual([]);
    const duplicates = perLead.reduce((sum, count) => sum + count - 1, 0);
    console.log(`intake-sigkill: ${kills} kills, ${duplicates} repeated Workplace messages`);
    expect(duplicates).toBeLessThanOrEqual(kills);
  });

  /** A worker that is up (its ready line logged), waiting for a replacement when all are booting. */
  async function aliveWorker(): Promise<ClusterProcess> {
    return waitFor(
      'a running worker to kill',
      async () => {
        const settled = await Promise.all(
          workers.map((entry) =>
            Promise.race([entry, new Promise<null>((r) => setTimeout(() => r(null), 0))]),
          ),
        );
        const up = settled.filter(
          (worker): worker is ClusterProcess => worker !== null && !killed.has(worker.pid),
        );
        if (up.length === 0) return undefined;
        const chosen = up[Math.floor(Math.random() * up.length)];
        killed.add(chosen.pid);
        return chosen;
      },
      120_000,
      100,
    );
  }
  const killed = new Set<number>();
});

function leadFlow(cluster: FlowcardCluster, pageId: string): FlowSpec {
  const salesLead = cluster.emulator.fixtures.workplace.members[1].id;
  return {
    name: 'New lead → Workplace message',
    trigger: {
      card: 'facebook-leads/new-lead@1',
      configurationId: cluster.pageConfigurations[pageId],
      input: { pageId },
    },
    steps: [
      {
        id: 'lead',
        card: 'facebook-leads/get-lead@1',
        configurationId: cluster.pageConfigurations[pageId],
        input: { leadId: '{{trigger.output.id}}' },
      },
      {
        id: 'notify',
        card: 'workplace/send-message@1',
        configurationId: cluster.workplaceConfigurationId,
        input: {
          recipientIds: [salesLead],
          text: 'New lead {{steps.lead.output.fields.email}} [{{trigger.output.id}}]',
        },
      },
    ],
  };
}
