import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import { createMongoStore } from '../../packages/store/src/create-mongo-store';
import { openNamedTestDatabase, type TestDatabase } from '../support/mongo';
import { waitFor } from '../support/wait-for';
import {
  startFlowcardCluster,
  type ClusterProcess,
  type FlowcardCluster,
  type Json,
} from './support/flowcard-cluster';
import { startOwnRedisServer, type OwnRedisServer } from './support/own-redis-server';

const RECONCILE_MS = 5_000;
const BEFORE = 50;
const WHILE_DOWN = 30;
const AFTER = 20;

jest.setTimeout(300_000);

// Redis loses everything (SHUTDOWN NOSAVE, then started again empty) in the middle of a 100-lead
// burst: live runs, queued step and webhook jobs, the history outbox and the poll job scheduler.
// The store still has every claimed run; the scheduler's reconciler must notice the loss on
// reconnection, re-create the poll schedule, poll at once, and resume every unfinished run.
describe('Redis restarted without its data during a lead burst', () => {
  let redisServer: OwnRedisServer;
  let cluster: FlowcardCluster;
  let database: TestDatabase;
  let flowId: string;
  let processes: ClusterProcess[] = [];
  const leadIds: string[] = [];

  beforeAll(async () => {
    redisServer = await startOwnRedisServer();
    cluster = await startFlowcardCluster({
      file: __filename,
      redisUrl: redisServer.url,
      env: {
        FLOWCARD_JOB_LOCK_MS: '3000',
        // The poll interval stays the card's own (15 minutes): only the reconciler may bring lost leads back.
        FLOWCARD_RECONCILE_INTERVAL_MS: String(RECONCILE_MS),
        LOG_LEVEL: 'warn',
      },
    });
    database = await openNamedTestDatabase(cluster.database);
    createMongoStore(database.connection);
    await Promise.all([cluster.start('scheduler'), cluster.start('worker'), cluster.start('worker')]);
    processes = [...cluster.processes];
    flowId = await cluster.enabledFlow(leadFlow(cluster, cluster.emulator.fixtures.pages[0].id));
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await database?.close();
    await redisServer?.stop();
  });

  async function pollScheduleExists(): Promise<boolean> {
    const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    const queue = new Queue('flowcard-triggers', { connection, prefix: cluster.prefix });
    try {
      return Boolean(await queue.getJobScheduler(`poll-${flowId}`));
    } finally {
      await queue.close();
      await connection.quit().catch(() => undefined);
    }
  }

  function createLeads(count: number): void {
    const form = cluster.emulator.fixtures.pages[0].forms[0];
    for (let i = 0; i < count; i++) {
      const n = leadIds.length;
      leadIds.push(
        cluster.emulator.control.createLead({
          formId: form.id,
          fieldData: { email: `burst${n}@mail.example` },
        }).id,
      );
    }
  }

  it('gives every lead exactly one finished run after Redis is back, and the poll schedule exists again', async () => {
    expect(await pollScheduleExists()).toBe(true);
    cluster.emulator.control.setLatency(100);
    createLeads(BEFORE);
    // Shut Redis down while runs are in flight: some claimed, some mid-step, some done.
    await waitFor(
      'some of the burst to be running',
      async () => (await cluster.runsOf(flowId)).length >= 10,
      60_000,
      100,
    );
    await redisServer.shutdownNoSave();
    createLeads(WHILE_DOWN);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redisServer.restart();
    createLeads(AFTER);

    const runs: Json[] = await waitFor(
      'a finished run for every lead',
      async () => {
        const all: Json[] = await cluster.runsOf(flowId);
        const finished = new Set(all.filter((run) => run.status === 'succeeded').map((run) => run.dedupeKey));
        return leadIds.every((id) => finished.has(id)) ? all : undefined;
      },
      150_000,
      1_000,
    );
    const perLead = leadIds.map((id) => runs.filter((run) => run.dedupeKey === id).length);
    expect({
      leads: leadIds.length,
      runs: runs.length,
      notExactlyOne: perLead.filter((n) => n !== 1).length,
    }).toEqual({
      leads: BEFORE + WHILE_DOWN + AFTER,
      runs: BEFORE + WHILE_DOWN + AFTER,
      notExactlyOne: 0,
    });
    expect(await pollScheduleExists()).toBe(true);
    // Nobody was restarted: the same api, scheduler and workers did all of it.
    for (const child of processes)
      expect(await Promise.race([child.exited.then(() => 'exited'), 'running'])).toBe('running');

    const messages = cluster.emulator.control.workplaceMessages();
    const repeated = leadIds.reduce(
      (sum, id) => sum + Math.max(0, messages.filter((m) => m.text.includes(`[${id}]`)).length - 1),
      0,
    );
    console.log(`redis-data-loss: ${leadIds.length} leads, ${repeated} repeated Workplace messages`);
  });
});

function leadFlow(cluster: FlowcardCluster, pageId: string): FlowSpec {
  return {
    name: 'New lead → Workplace message',
    // A message in flight when Redis lost the run has an unknown outcome: this flow sends it again
    // rather than holding it for review, so every lead finishes without a person.
    onUnknownOutcome: 'repeat',
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
          recipientIds: [cluster.emulator.fixtures.workplace.members[1].id],
          text: 'New lead {{steps.lead.output.fields.email}} [{{trigger.output.id}}]',
        },
      },
    ],
  };
}
