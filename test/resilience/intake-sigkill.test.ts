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
const MODES = ['hold', 'repeat'] as const;
type Mode = (typeof MODES)[number];

jest.setTimeout(600_000);

// The operator test: api, scheduler and two workers as separate OS processes on one Redis
// and one MongoDB, a Lead Ads → Workplace flow, leads arriving while a worker is killed with
// SIGKILL again and again. Every lead must end with exactly one finished run.
describe('workers killed with SIGKILL while 200 leads arrive', () => {
  let cluster: FlowcardCluster;
  let database: TestDatabase;
  let redis: Redis;
  /** The same lead flow twice: one holds an unknown-outcome message for review, one sends it again. */
  const flowIds: Record<Mode, string> = { hold: '', repeat: '' };
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
    for (const mode of MODES) flowIds[mode] = await cluster.enabledFlow(leadFlow(cluster, page.id, mode));
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

    // Hold mode may end some runs as needs_review instead of succeeded: they count as settled here.
    for (const mode of MODES) {
      const runs = await settledRuns(mode);
      const byLead = new Map<string, number>();
      for (const run of runs) byLead.set(run.dedupeKey, (byLead.get(run.dedupeKey) ?? 0) + 1);
      const lost = leadIds.filter((id) => !byLead.has(id));
      const duplicated = [...byLead.values()].filter((count) => count > 1);
      expect({ mode, runs: runs.length, lost: lost.length, duplicatedRuns: duplicated.length }).toEqual({
        mode,
        runs: LEADS,
        lost: 0,
        duplicatedRuns: 0,
      });
    }
    const repeatRuns = await cluster.runsOf(flowIds.repeat);
    expect(repeatRuns.filter((run: Json) => run.status === 'succeeded')).toHaveLength(LEADS);
  });

  it('sends no message twice in hold mode, lists the held runs as needs_review, and finishes them once reviewed', async () => {
    const held: Json[] = (await cluster.api(`/v1/flows/${flowIds.hold}/runs?status=needs_review&limit=1000`))
      .body.runs;
    for (const run of held) expect(run.error.code).toBe('FLOWCARD_ERR_RUN_OUTCOME_UNKNOWN');
    const before = messagesPerLead('hold');
    expect(before.filter((count) => count > 1)).toEqual([]);
    // The person looks in Workplace: the message got through (skip) or it did not (retry).
    for (const run of held) {
      const sent = before[leadIds.indexOf(run.dedupeKey)] === 1;
      const answer = await cluster.api(`/v1/runs/${run.id}/review`, {
        method: 'POST',
        body: { decision: sent ? 'skip' : 'retry' },
      });
      expect(answer.status).toBe(202);
    }
    const runs = await waitFor(
      'every hold-mode run to succeed after review',
      async () => {
        const all: Json[] = await cluster.runsOf(flowIds.hold);
        return all.filter((run) => run.status === 'succeeded').length === LEADS ? all : undefined;
      },
      120_000,
      1_000,
    );
    expect(runs).toHaveLength(LEADS);
    expect(messagesPerLead('hold').filter((count) => count !== 1)).toEqual([]);
    console.log(
      `intake-sigkill: hold mode, ${kills} kills, ${held.length} runs held for review, 0 repeated messages`,
    );
  });

  it('sends every lead its message in repeat mode, repeating at most one per kill', () => {
    const perLead = messagesPerLead('repeat');
    expect(perLead.filter((count) => count === 0)).toEqual([]);
    const duplicates = perLead.reduce((sum, count) => sum + count - 1, 0);
    console.log(`intake-sigkill: repeat mode, ${kills} kills, ${duplicates} repeated Workplace messages`);
    expect(duplicates).toBeLessThanOrEqual(kills);
  });

  /** Workplace messages of each lead (in leadIds order) sent by the flow of `mode`. */
  function messagesPerLead(mode: Mode): number[] {
    const messages = cluster.emulator.control.workplaceMessages();
    return leadIds.map((id) => messages.filter((m) => m.text.includes(`[${mode} ${id}]`)).length);
  }

  /** Every run of the flow, once each lead's run has settled (succeeded, failed or held for review). */
  function settledRuns(mode: Mode): Promise<Json[]> {
    return waitFor(
      `a settled run for every lead (${mode})`,
      async () => {
        const all: Json[] = await cluster.runsOf(flowIds[mode]);
        const settled = all.filter((run) => ['succeeded', 'failed', 'needs_review'].includes(run.status));
        return settled.length >= LEADS ? all : undefined;
      },
      // Replacement workers take tens of seconds to start on a busy machine; a run whose job was
      // lost waits for the next report of its lead (the poll) or the reconciler.
      300_000,
      1_000,
    );
  }

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

function leadFlow(cluster: FlowcardCluster, pageId: string, mode: Mode): FlowSpec {
  const salesLead = cluster.emulator.fixtures.workplace.members[1].id;
  return {
    name: `New lead → Workplace message (${mode})`,
    onUnknownOutcome: mode,
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
          text: `New lead {{steps.lead.output.fields.email}} [${mode} {{trigger.output.id}}]`,
        },
      },
    ],
  };
}
