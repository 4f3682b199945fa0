import type { FlowSpec } from '@flowcard/schemas';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from '../support/wait-for';

const WP = 'cfg_wp';

function leadFlow(groupId: string, recipientId: string): FlowSpec {
  return {
    name: 'New lead → Workplace',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps: [
      {
        id: 'post',
        card: 'workplace/post-to-group@1',
        configurationId: WP,
        input: { groupId, message: 'New lead: {{trigger.output.name}} <{{trigger.output.email}}>' },
      },
      {
        id: 'notify',
        card: 'workplace/send-message@1',
        configurationId: WP,
        input: { recipientIds: [recipientId], text: 'See post {{steps.post.output.id}}' },
      },
    ],
  };
}

describe('FlowRunner on BullMQ', () => {
  let h: FlowHarness;
  let groupId: string;
  let recipientId: string;

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    groupId = h.emulator.fixtures.workplace.groups[0].id;
    recipientId = h.emulator.fixtures.workplace.members[0].id;
    h.configurations.set({
      id: WP,
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'workplace',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: h.emulator.fixtures.workplace.adminToken },
    });
    h.runner.createWorker({ concurrency: 10 });
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.emulator.control.clearFaults();
  });

  const finished = (runId: string) =>
    waitFor(`run ${runId} to finish`, async () => {
      const run = await h.history.getRun(runId);
      return run && (run.status === 'succeeded' || run.status === 'failed') ? run : undefined;
    });

  it('runs every step in order, feeding each the trigger and earlier outputs', async () => {
    const flow = h.flow(leadFlow(groupId, recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Ada Lovelace', email: 'ada@example.com' });
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');

    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['post', 'succeeded', 1],
      ['notify', 'succeeded', 1],
    ]);
    const postId = (steps[0].output as { id: string }).id;
    expect(steps[0].input).toEqual({ groupId, message: 'New lead: Ada Lovelace <ada@example.com>' });
    const message = h.emulator.control.workplaceMessages().find((m) => m.text === `See post ${postId}`);
    expect(message?.recipientIds).toEqual([recipientId]);
  });

  it('writes the run and its steps to the store in batches, not one write per step', async () => {
    const flow = h.flow(leadFlow(groupId, recipientId));
    const started = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.runner.startRun(flow, { name: `Lead ${i}`, email: `l${i}@example.com` }),
      ),
    );
    await Promise.all(started.map(({ runId }) => finished(runId)));
    const before = h.repository.batches;
    await h.writer.flush();
    await waitFor('history to reach the store', async () =>
      (await Promise.all(started.map(({ runId }) => h.repository.findRun(runId)))).every(
        (run) => run?.status === 'succeeded',
      ),
    );
    expect(
      (await Promise.all(started.map(({ runId }) => h.repository.listSteps(runId)))).flat(),
    ).toHaveLength(20);
    // 10 runs × (3 run transitions + 2 step records) = 50 entries; a write per entry would be 50 batches.
    expect(h.repository.batches - before).toBeLessThan(50);
  });

  it('starts one run per dedupe key however often the same item is started', async () => {
    const flow = h.flow(leadFlow(groupId, recipientId));
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.runner.startRun(flow, { name: 'Same', email: 's@example.com' }, { dedupeKey: 'lead-77' }),
      ),
    );
    expect(new Set(results.map((r) => r.runId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await finished(results[0].runId);
    const steps = await h.history.listSteps(results[0].runId);
    expect(steps.filter((s) => s.status === 'succeeded')).toHaveLength(2);
  });

  it('treats a duplicate delivery of a finished step as a no-op', async () => {
    const flow = h.flow(leadFlow(groupId, recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Dup', email: 'd@example.com' });
    await finished(runId);
    const postsBefore = h.emulator.control.calls({ method: 'POST' }).length;
    await h.runner.enqueue({ runId, stepId: 'post', attempt: 1 });
    await h.runner.enqueue({ runId, stepId: 'notify', attempt: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.emulator.control.calls({ method: 'POST' }).length).toBe(postsBefore);
    expect((await h.history.listSteps(runId)).filter((s) => s.status === 'succeeded')).toHaveLength(2);
  });

  it('retries a transient Graph error with back-off and records each attempt', async () => {
    h.emulator.control.injectTransientErrors({ count: 1, path: '/feed' });
    const flow = h.flow(leadFlow(groupId, recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Retry', email: 'r@example.com' });
    expect((await finished(runId)).status).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => [s.stepId, s.status, s.attempt])).toEqual([
      ['post', 'retrying', 1],
      ['post', 'succeeded', 2],
      ['notify', 'succeeded', 1],
    ]);
    expect(steps[0].error?.signal).toBe('retry');
  });

  it('fails the run after the last retry with the retries-exhausted code', async () => {
    h.emulator.control.injectTransientErrors({ count: 3, path: '/feed' });
    const flow = h.flow(leadFlow(groupId, recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Exhausted', email: 'x@example.com' });
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('FLOWCARD_ERR_RUN_RETRIES_EXHAUSTED');
    expect((await h.history.listSteps(runId)).map((s) => s.status)).toEqual([
      'retrying',
      'retrying',
      'failed',
    ]);
  });

  it('fails at once on an invalid request, without retrying', async () => {
    const flow = h.flow(leadFlow('999999999', recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Bad', email: 'b@example.com' });
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error?.signal).toBe('invalid');
    expect(run.currentStepId).toBe('post');
    expect(await h.history.listSteps(runId)).toHaveLength(1);
  });

  it('re-runs a failed run from the failed step, keeping earlier outputs', async () => {
    const spec = leadFlow(groupId, recipientId);
    spec.steps[1] = {
      ...spec.steps[1],
      input: { recipientIds: ['{{trigger.output.recipient}}'], text: 'Hi {{steps.post.output.id}}' },
    };
    const flow = h.flow(spec);
    const { runId } = await h.runner.startRun(flow, {
      name: 'Rerun',
      email: 'rr@example.com',
      recipient: 'nobody',
    });
    expect((await finished(runId)).status).toBe('failed');
    const postCalls = h.emulator.control.calls().filter((c) => c.path.endsWith('/feed')).length;
    // Nothing about the run changes, so it fails again at the same step: but only that step runs.
    await h.runner.rerunFromFailed(runId);
    await waitFor(
      'the re-run to fail again',
      async () => (await h.history.listSteps(runId)).filter((s) => s.stepId === 'notify').length === 2,
    );
    expect((await finished(runId)).status).toBe('failed');
    expect(h.emulator.control.calls().filter((c) => c.path.endsWith('/feed')).length).toBe(postCalls);
  });

  it('refuses to re-run a run that did not fail', async () => {
    const flow = h.flow(leadFlow(groupId, recipientId));
    const { runId } = await h.runner.startRun(flow, { name: 'Ok', email: 'ok@example.com' });
    await finished(runId);
    await expect(h.runner.rerunFromFailed(runId)).rejects.toMatchObject({
      code: 'FLOWCARD_ERR_RUN_NOT_RERUNNABLE',
    });
  });

  it('skips a step whose condition is false', async () => {
    const spec = leadFlow(groupId, recipientId);
    spec.steps[0] = { ...spec.steps[0], condition: 'trigger.output.email = "vip@example.com"' };
    spec.steps[1] = { ...spec.steps[1], input: { recipientIds: [recipientId], text: 'after skip' } };
    const flow = h.flow(spec);
    const { runId } = await h.runner.startRun(flow, { name: 'Skip', email: 'plain@example.com' });
    expect((await finished(runId)).status).toBe('succeeded');
    expect((await h.history.listSteps(runId)).map((s) => [s.stepId, s.status])).toEqual([
      ['post', 'skipped'],
      ['notify', 'succeeded'],
    ]);
  });
});
