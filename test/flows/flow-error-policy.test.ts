import type { FlowSpec } from '@flowcard/schemas';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from './support/wait-for';

const WP = 'cfg_wp_policy';
const PAGE = 'cfg_page_policy';

function postFlow(groupId: string): FlowSpec {
  return {
    name: 'Post',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps: [
      {
        id: 'post',
        card: 'workplace/post-to-group@1',
        configurationId: WP,
        input: { groupId, message: 'Lead {{trigger.output.n}}' },
      },
    ],
  };
}

describe('the step error policy', () => {
  let h: FlowHarness;

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    h.configurations.set({
      id: WP,
      workspaceId: 'ws1',
      ownerId: 'owner-wp',
      connector: 'workplace',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: h.emulator.fixtures.workplace.adminToken },
    });
    const page = h.emulator.fixtures.pages[0];
    h.configurations.set({
      id: PAGE,
      workspaceId: 'ws1',
      ownerId: 'owner-page',
      connector: 'facebook-pages',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0', pageId: page.id },
      secrets: { accessToken: page.accessToken },
    });
    h.runner.createWorker({ concurrency: 10 });
  });

  afterAll(async () => {
    await h.close();
  });

  const statusOf = async (runId: string): Promise<string | undefined> =>
    (await h.history.getRun(runId))?.status;

  it('parks runs when the token dies, tells the owner once, and finishes them all after re-authorisation', async () => {
    const groupId = h.emulator.fixtures.workplace.groups[0].id;
    const flow = h.flow(postFlow(groupId));
    const newToken = h.emulator.control.rotateWorkplaceToken();
    const runs = [];
    for (let n = 0; n < 4; n++) runs.push(await h.runner.startRun(flow, { n }));
    for (const { runId } of runs)
      await waitFor(`run ${runId} to park`, async () => (await statusOf(runId)) === 'waiting_for_reauth');

    expect(h.reauthEvents).toHaveLength(1);
    expect(h.reauthEvents[0]).toMatchObject({
      configurationId: WP,
      ownerId: 'owner-wp',
      code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
    });
    expect((await h.parked.list(WP)).sort()).toEqual(runs.map(({ runId }) => `${runId}:post:1`).sort());
    // A run started while the configuration is broken parks without calling Meta with the dead token.
    const refusedBefore = h.emulator.control.calls({ path: '/feed' }).filter((c) => c.status !== 200).length;
    const late = await h.runner.startRun(flow, { n: 'late' });
    await waitFor('the late run to park', async () => (await statusOf(late.runId)) === 'waiting_for_reauth');
    // So does a step job that does not name its configuration (enqueued before jobs carried it):
    // the broken flag is then read with a separate EXISTS instead of with the run.
    const legacy = { runId: 'run_legacy_job_without_configuration' };
    await h.state.create({
      id: legacy.runId,
      flowId: flow.id,
      workspaceId: flow.workspaceId,
      ownerId: flow.ownerId,
      flowVersion: flow.version,
      spec: flow.spec,
      triggerOutput: { n: 'legacy' },
      dedupeKey: null,
      firstStepId: 'post',
      at: new Date(),
    });
    await h.runner.enqueue({ runId: legacy.runId, stepId: 'post', attempt: 1 });
    await waitFor(
      'the legacy job to park',
      async () => (await statusOf(legacy.runId)) === 'waiting_for_reauth',
    );
    expect(h.emulator.control.calls({ path: '/feed' }).filter((c) => c.status !== 200).length).toBe(
      refusedBefore,
    );

    h.configurations.update(WP, { status: 'active', secrets: { accessToken: newToken } });
    expect(await h.runner.resumeParked(WP)).toBe(6);
    for (const { runId } of [...runs, late, legacy])
      await waitFor(`run ${runId} to succeed`, async () => (await statusOf(runId)) === 'succeeded');
    const steps = await h.history.listSteps(runs[0].runId);
    expect(steps.map((s) => s.status)).toEqual(['parked', 'succeeded']);
    expect(await h.parked.list(WP)).toEqual([]);
  });

  it('delays steps on a rate-limited object instead of failing them, keeps further calls away from it, and lets other objects proceed', async () => {
    const [limited, other] = h.emulator.fixtures.workplace.groups.map((g) => g.id);
    h.emulator.control.clearCalls();
    h.emulator.control.rateLimit({ code: 32, path: `${limited}/feed`, minutes: 10 });
    const limitedFlow = h.flow(postFlow(limited));
    const first = await h.runner.startRun(limitedFlow, { n: 1 });
    await waitFor('the first step to be delayed', async () =>
      (await h.history.listSteps(first.runId)).some((s) => s.status === 'delayed'),
    );
    const more = await Promise.all([2, 3, 4].map((n) => h.runner.startRun(limitedFlow, { n })));

    const otherRun = await h.runner.startRun(h.flow(postFlow(other)), { n: 'other' });
    await waitFor(
      'the run on the other group to succeed',
      async () => (await statusOf(otherRun.runId)) === 'succeeded',
    );

    for (const { runId } of [first, ...more]) expect(await statusOf(runId)).not.toBe('failed');
    const [delayedStep] = (await h.history.listSteps(first.runId)).filter((s) => s.status === 'delayed');
    expect(delayedStep.error?.signal).toBe('rate_limited');
    // Meta refused one call; the other runs waited on the shared limiter instead of calling.
    expect(h.emulator.control.calls({ path: `${limited}/feed` })).toHaveLength(1);
    expect(await h.limiter.blockedForMs('object', limited)).toBeGreaterThan(0);
    const delayedJobs = await h.runner.queue.getDelayed();
    expect(delayedJobs.map((job) => job.data.runId).sort()).toEqual(
      expect.arrayContaining([first, ...more].map((r) => r.runId).sort()),
    );
  });

  it('fails the run naming the missing permission, and flags the configuration', async () => {
    h.emulator.control.removePermission(h.emulator.fixtures.user.id, 'pages_manage_posts');
    const flow = h.flow({
      name: 'Page post',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
      steps: [
        {
          id: 'publish',
          card: 'facebook-pages/create-post@1',
          configurationId: PAGE,
          input: { message: 'Hello' },
        },
      ],
    });
    const { runId } = await h.runner.startRun(flow, {});
    await waitFor('the run to fail', async () => (await statusOf(runId)) === 'failed');
    const run = await h.history.getRun(runId);
    expect(run?.error).toMatchObject({
      signal: 'permission',
      permission: 'pages_manage_posts',
      stepId: 'publish',
    });
    expect(h.permissionEvents).toEqual([
      expect.objectContaining({ configurationId: PAGE, permission: 'pages_manage_posts' }),
    ]);
  });
});
