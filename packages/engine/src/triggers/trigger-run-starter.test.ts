import { Redis } from 'ioredis';
import { redisUrl, uniqueName } from '../../../../test/support/env';
import type { FlowDocument } from '../ports/flow-repository';
import { FlowRunner } from '../runs/flow-runner';
import { ParkedSteps } from '../runs/parked-steps';
import { RunStateStore } from '../runs/run-state-store';
import { TriggerDedupe } from './trigger-dedupe';
import { TriggerRunStarter } from './trigger-run-starter';

// The claim folded into run creation (no durable store): the same gate as a separate SET NX.
describe('TriggerRunStarter with the claim folded into run creation', () => {
  const prefix = uniqueName(__filename);
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const state = new RunStateStore({ redis, keyPrefix: prefix });
  const runner = new FlowRunner({
    connection: redis,
    prefix,
    state,
    parked: new ParkedSteps({ redis, keyPrefix: prefix }),
    cards: { card: () => undefined },
    executor: { execute: () => Promise.reject(new Error('no steps run in this test')) },
    configurations: { get: async () => null },
  });
  const dedupe = new TriggerDedupe({ redis, keyPrefix: prefix });
  const starter = new TriggerRunStarter(dedupe, runner);
  const now = new Date();
  const flow: FlowDocument = {
    id: 'flow_fold',
    workspaceId: 'ws',
    ownerId: 'u',
    spec: {
      name: 'fold',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '1' } },
      steps: [{ id: 'notify', card: 'workplace/send-message@1', configurationId: 'cfg_wp', input: {} }],
    },
    enabled: true,
    triggerKey: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };

  afterAll(async () => {
    await runner.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('starts exactly one run and one first-step job for many concurrent reports of a lead', async () => {
    const started = await Promise.all(
      Array.from({ length: 10 }, () => starter.start(flow, 'lead-1', { id: 'lead-1' })),
    );
    const runIds = started.filter((id): id is string => id !== null);
    expect(runIds).toHaveLength(1);
    const jobs = await runner.queue.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.filter((job) => job.data.runId === runIds[0])).toHaveLength(1);
    expect(jobs.find((job) => job.data.runId === runIds[0])?.data).toMatchObject({
      stepId: 'notify',
      attempt: 1,
      configurationId: 'cfg_wp',
    });
  });

  it('gives the claim back when enqueueing fails, so the next report starts the run', async () => {
    const enqueue = runner.enqueue.bind(runner);
    runner.enqueue = async () => {
      throw new Error('queue unavailable');
    };
    try {
      await expect(starter.start(flow, 'lead-2', { id: 'lead-2' })).rejects.toThrow('queue unavailable');
    } finally {
      runner.enqueue = enqueue;
    }
    const runId = await starter.start(flow, 'lead-2', { id: 'lead-2' });
    expect(runId).toMatch(/^run_/);
    expect((await state.load(runId as string))?.status).toBe('queued');
    expect(await starter.start(flow, 'lead-2', { id: 'lead-2' })).toBeNull();
  });

  it('refuses an item claimed through the separate claim, and the other way round', async () => {
    expect(await dedupe.claim(flow.id, 'lead-3')).toBe(true);
    expect(await starter.start(flow, 'lead-3', { id: 'lead-3' })).toBeNull();
    expect(await starter.start(flow, 'lead-4', { id: 'lead-4' })).toMatch(/^run_/);
    expect(await dedupe.claim(flow.id, 'lead-4')).toBe(false);
  });

  it('keeps the separate claim when a durable store is configured', () => {
    const durable = new TriggerDedupe({
      redis,
      keyPrefix: prefix,
      store: {
        getState: async () => null,
        advanceCursor: async () => undefined,
        claimKeys: async (_flowId, keys) => [...keys],
        releaseKeys: async () => undefined,
        deleteFlow: async () => undefined,
      },
    });
    expect(durable.foldableClaim(flow.id, 'lead-5')).toBeNull();
    expect(dedupe.foldableClaim(flow.id, 'lead-5')).toMatchObject({ ttlSeconds: 90 * 24 * 3600 });
  });
});
