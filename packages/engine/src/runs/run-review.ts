import { FlowcardError } from '../errors/flowcard-error';
import { flowCodes } from '../errors/codes/flow-codes';
import type { RunStateStore, RunTransition } from './run-state-store';
import { nextStepJob, type StepJobData } from './step-job-handler';

/** What a person decided about a step held for review. */
export type ReviewDecision = 'retry' | 'skip';

export interface RunReviewOptions {
  state: RunStateStore;
  /** Enqueues a step job (the runner's, so job ids and options stay in one place). */
  enqueue: (data: StepJobData) => Promise<void>;
  now?: () => Date;
}

/**
 * The way out of `needs_review` (a non-repeatable step whose outcome became unknown, held by the
 * flow's `onUnknownOutcome: hold`): `retry` calls the service again (the person checked that the
 * first call did not get through, or accepts a second one); `skip` records the step as skipped
 * with no output and goes on with the next step (the person saw that the first call did get
 * through). Either way the run leaves `needs_review` in one atomic transition, so two people
 * deciding at once cannot both act: the second gets FLOWCARD_ERR_RUN_NOT_IN_REVIEW.
 */
export class RunReview {
  private readonly now: () => Date;

  constructor(private readonly options: RunReviewOptions) {
    this.now = options.now ?? ((): Date => new Date());
  }

  /** Applies the decision; returns the step it was about. */
  async decide(runId: string, decision: ReviewDecision): Promise<{ stepId: string }> {
    const { state } = this.options;
    const run = await state.load(runId);
    if (!run) throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_FOUND, { runId });
    const stepId = run.currentStepId;
    if (run.status !== 'needs_review' || !stepId)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_IN_REVIEW, { runId, status: run.status });
    const index = run.spec.steps.findIndex((step) => step.id === stepId);
    const step = run.spec.steps[index];
    const next = run.spec.steps[index + 1];
    const at = this.now();
    if (decision === 'retry') {
      const generation = await state.redis.hincrby(state.runKey(runId), 'generation', 1);
      const moved = await this.leaveReview(runId, {
        at,
        status: 'running',
        error: null,
        clearPending: stepId,
      });
      if (!moved)
        throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_IN_REVIEW, { runId, status: 'changed' });
      await this.options.enqueue({
        runId,
        stepId,
        attempt: generation + 1,
        configurationId: step?.configurationId,
      });
      return { stepId };
    }
    const attempt = await state.redis.hincrby(state.runKey(runId), `att:${stepId}`, 1);
    const moved = await this.leaveReview(runId, {
      at,
      status: next ? 'running' : 'succeeded',
      currentStepId: next ? next.id : null,
      error: null,
      ...(next ? {} : { finishedAt: at }),
      output: { stepId, value: null },
      record: {
        id: `${runId}:${stepId}:${attempt}`,
        runId,
        flowId: run.flowId,
        stepId,
        attempt,
        status: 'skipped',
        input: null,
        output: null,
        error: null,
        durationMs: 0,
        startedAt: at,
      },
    });
    if (!moved)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_IN_REVIEW, { runId, status: 'changed' });
    if (next) await this.options.enqueue(nextStepJob(runId, next));
    return { stepId };
  }

  /** The transition, applied by the script only while the run is still in review. */
  private leaveReview(runId: string, change: RunTransition): Promise<boolean> {
    return this.options.state.transition(runId, { ...change, onlyFrom: 'needs_review' });
  }
}
