import type { FlowSpec } from '@flowcard/schemas';
import { dedupedRunId } from '../../packages/engine/src/runs/flow-runner';
import { TriggerRunStarter } from '../../packages/engine/src/triggers/trigger-run-starter';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';

// Crash-safe intake: the run record claimed in the store is the one gate per trigger item, and a
// claim whose run is not live in Redis counts as unclaimed the next time the item is reported.
describe('trigger items claimed as runs in the store', () => {
  let h: FlowHarness;
  let starter: TriggerRunStarter;
  const spec: FlowSpec = {
    name: 'Lead to message',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '1' } },
    steps: [
      { id: 'lead', card: 'facebook-leads/get-lead@1', configurationId: 'cfg_page', input: { leadId: 'x' } },
      { id: 'notify', card: 'workplace/send-message@1', configurationId: 'cfg_wp', input: {} },
    ],
  };

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    starter = new TriggerRunStarter(h.runner);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  async function jobsOf(runId: string): Promise<string[]> {
    const jobs = await h.runner.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    return jobs.filter((job) => job.data.runId === runId).map((job) => String(job.id));
  }

  it('starts exactly one run, one store record and one first-step job for many concurrent reports of a lead', async () => {
    const flow = h.flow(spec, 'flow_concurrent');
    const started = await Promise.all(
      Array.from({ length: 10 }, () => starter.start(flow, 'lead-1', { id: 'lead-1' })),
    );
    const runIds = started.filter((id): id is string => id !== null);
    expect(runIds).toEqual([dedupedRunId(flow.id, 'lead-1')]);
    expect(await jobsOf(runIds[0])).toEqual([`${runIds[0]}:lead:1`]);
    expect(await h.store.runs.findResumable(runIds[0])).toMatchObject({
      status: 'queued',
      dedupeKey: 'lead-1',
      ownerId: 'u1',
      spec,
    });
  });

  it('makes a claim whose starter died before Redis (claim without a run) live at the next report', async () => {
    const flow = h.flow(spec, 'flow_crashed');
    const runId = dedupedRunId(flow.id, 'lead-2');
    // What a starter killed right after the claim leaves behind: the store record, nothing in Redis.
    const at = new Date();
    expect(
      await h.store.runs.claimRun({
        id: runId,
        flowId: flow.id,
        workspaceId: flow.workspaceId,
        ownerId: flow.ownerId,
        flowVersion: flow.version,
        status: 'queued',
        triggerOutput: { id: 'lead-2' },
        dedupeKey: 'lead-2',
        currentStepId: 'lead',
        error: null,
        revision: 0,
        createdAt: at,
        updatedAt: at,
        finishedAt: null,
        spec,
      }),
    ).toBe(true);
    expect(await h.state.exists(runId)).toBe(false);

    // The next report (webhook redelivery, poll or backfill) is not a new run, but it resumes this one.
    expect(await starter.start(flow, 'lead-2', { id: 'lead-2' })).toBeNull();
    const live = await h.state.load(runId);
    expect(live).toMatchObject({ status: 'queued', currentStepId: 'lead', triggerOutput: { id: 'lead-2' } });
    expect(await jobsOf(runId)).toEqual([`${runId}:lead:1`]);
    // A fresh claim never had a live step: nothing is marked as an unknown outcome.
    expect(await h.redis.hget(h.state.runKey(runId), 'pend:lead')).toBeNull();
  });

  it('enqueues the first step again for a live run whose starter died before enqueueing it', async () => {
    const flow = h.flow(spec, 'flow_no_job');
    const runId = (await starter.start(flow, 'lead-4', { id: 'lead-4' })) ?? '';
    // What a starter killed between creating the live state and adding the job leaves: no job.
    await h.runner.queue.remove(`${runId}:lead:1`);
    expect(await jobsOf(runId)).toEqual([]);
    expect(await h.state.load(runId)).toMatchObject({ status: 'queued', currentStepId: 'lead' });

    expect(await starter.start(flow, 'lead-4', { id: 'lead-4' })).toBeNull();
    expect(await jobsOf(runId)).toEqual([`${runId}:lead:1`]);
    // A report while the job waits adds nothing (same job id).
    expect(await starter.start(flow, 'lead-4', { id: 'lead-4' })).toBeNull();
    expect(await jobsOf(runId)).toEqual([`${runId}:lead:1`]);
  });

  it('rebuilds a run Redis lost from the store and goes on after its recorded steps, never running them again', async () => {
    const flow = h.flow(spec, 'flow_lost');
    const runId = (await starter.start(flow, 'lead-3', { id: 'lead-3' })) ?? '';
    await h.runner.queue.remove(`${runId}:lead:1`);
    // The writer had stored the first step's success and the run at the second step…
    const at = new Date();
    await h.store.runs.saveRuns([
      {
        id: runId,
        flowId: flow.id,
        workspaceId: 'ws1',
        flowVersion: 1,
        status: 'running',
        triggerOutput: { id: 'lead-3' },
        dedupeKey: 'lead-3',
        currentStepId: 'notify',
        error: null,
        revision: 3,
        createdAt: at,
        updatedAt: at,
        finishedAt: null,
      },
    ]);
    await h.store.runs.saveSteps([
      {
        id: `${runId}:lead:1`,
        runId,
        flowId: flow.id,
        stepId: 'lead',
        attempt: 1,
        status: 'succeeded',
        input: {},
        output: { email: 'ada@example.com' },
        error: null,
        durationMs: 5,
        startedAt: at,
      },
    ]);
    // …then Redis lost the run.
    await h.redis.del(h.state.runKey(runId));

    expect(await starter.start(flow, 'lead-3', { id: 'lead-3' })).toBeNull();
    const live = await h.state.load(runId);
    expect(live).toMatchObject({
      status: 'running',
      currentStepId: 'notify',
      outputs: { lead: { email: 'ada@example.com' } },
      revision: 3,
    });
    expect(await jobsOf(runId)).toEqual([`${runId}:notify:1`]);
    // The step that was under way when the run was lost may have called the service.
    expect(await h.redis.hget(h.state.runKey(runId), 'pend:notify')).toBe('recovered');
  });
});
