import type { FlowSpec } from '@flowcard/schemas';
import { FlowcardError } from '../../packages/engine/src/errors/flowcard-error';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from '../support/wait-for';

const WP = 'cfg_wp';

// A step whose delivery was cut short after it may have called the service (a worker killed
// mid-call, Redis lost the run) comes back with an unknown outcome. A card that is not safe to
// repeat (send-message: repeatable false) is then held for review, or called again, as the flow says.
describe('a step delivered again after its outcome became unknown', () => {
  let h: FlowHarness;
  let recipientId: string;

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
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
    h.runner.createWorker({ concurrency: 5 });
  });
  afterAll(async () => {
    await h.close();
  });

  function twoMessages(
    tag: string,
    extra: Partial<FlowSpec> = {},
    firstCard = 'workplace/send-message@1',
  ): FlowSpec {
    return {
      name: `Two messages ${tag}`,
      ...extra,
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '1' } },
      steps: [
        {
          id: 'first',
          card: firstCard,
          configurationId: WP,
          input:
            firstCard === 'workplace/send-message@1'
              ? { recipientIds: [recipientId], text: `[${tag}] first` }
              : {},
        },
        {
          id: 'second',
          card: 'workplace/send-message@1',
          configurationId: WP,
          input: { recipientIds: [recipientId], text: `[${tag}] second after {{steps.first.output.id}}` },
        },
      ],
    };
  }

  /** Starts a run whose first delivery of step `first` died after beginning its call (as a SIGKILL leaves it). */
  async function startCutShort(spec: FlowSpec): Promise<string> {
    await h.runner.queue.pause();
    const { runId } = await h.runner.startRun(h.flow(spec), { id: 'lead' });
    // What a worker records before calling the service; it died before recording any outcome.
    await h.state.beginAttempt(runId, 'first');
    await h.runner.queue.resume();
    return runId;
  }

  const messagesTagged = (tag: string): string[] =>
    h.emulator.control
      .workplaceMessages()
      .filter((m) => m.text.startsWith(`[${tag}]`))
      .map((m) => m.text);

  const settled = (runId: string, statuses: string[]) =>
    waitFor(`run ${runId} to reach ${statuses.join('/')}`, async () => {
      const run = await h.history.getRun(runId);
      return run && statuses.includes(run.status) ? run : undefined;
    });

  it('holds a non-repeatable step as needs_review by default, calling nothing, and lists the run as such', async () => {
    const runId = await startCutShort(twoMessages('hold'));
    const run = await settled(runId, ['needs_review', 'succeeded', 'failed']);
    expect(run).toMatchObject({
      status: 'needs_review',
      currentStepId: 'first',
      error: { code: 'FLOWCARD_ERR_RUN_OUTCOME_UNKNOWN', stepId: 'first' },
    });
    expect(run.error?.message).toContain('may already have reached the service');
    expect(messagesTagged('hold')).toEqual([]);
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => `${s.stepId}:${s.status}`)).toEqual(['first:needs_review']);
    const held = await h.history.listRuns({ flowId: run.flowId, status: 'needs_review' });
    expect(held.map((r) => r.id)).toEqual([runId]);
  });

  it('goes on without calling again when a person skips the held step', async () => {
    const runId = await startCutShort(twoMessages('skip'));
    await settled(runId, ['needs_review']);
    expect(await h.runner.review.decide(runId, 'skip')).toEqual({ stepId: 'first' });
    const run = await settled(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(messagesTagged('skip')).toEqual(['[skip] second after ']);
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => `${s.stepId}:${s.status}`)).toEqual([
      'first:needs_review',
      'first:skipped',
      'second:succeeded',
    ]);
  });

  it('calls the step again once when a person retries it, and refuses a second decision', async () => {
    const runId = await startCutShort(twoMessages('retry'));
    await settled(runId, ['needs_review']);
    await h.runner.review.decide(runId, 'retry');
    const run = await settled(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(messagesTagged('retry')).toHaveLength(2);
    const decidedTwice = await h.runner.review.decide(runId, 'skip').catch((error: unknown) => error);
    expect(decidedTwice).toBeInstanceOf(FlowcardError);
    expect((decidedTwice as FlowcardError).code).toBe('FLOWCARD_ERR_RUN_NOT_IN_REVIEW');
  });

  it('calls a non-repeatable step again when the flow says onUnknownOutcome: repeat', async () => {
    const runId = await startCutShort(twoMessages('repeat', { onUnknownOutcome: 'repeat' }));
    const run = await settled(runId, ['succeeded', 'failed', 'needs_review']);
    expect(run.status).toBe('succeeded');
    expect(messagesTagged('repeat')).toHaveLength(2);
  });

  it('always calls a repeatable card again, whatever the flow says', async () => {
    const runId = await startCutShort(twoMessages('readonly', {}, 'workplace/get-community@1'));
    const run = await settled(runId, ['succeeded', 'failed', 'needs_review']);
    expect(run.status).toBe('succeeded');
    expect(messagesTagged('readonly')).toHaveLength(1);
  });

  it('does not hold a step whose earlier delivery was delayed before calling (our own rate limit)', async () => {
    // The Workplace configuration's app budget is blocked: the first delivery waits instead of calling.
    await h.limiter.penalize({ app: WP }, 1_500, 'app');
    const { runId } = await h.runner.startRun(h.flow(twoMessages('delayed')), { id: 'lead-2' });
    const run = await settled(runId, ['succeeded', 'failed', 'needs_review']);
    expect(run.status).toBe('succeeded');
    expect(messagesTagged('delayed')).toHaveLength(2);
  });
});
