import { FlowcardError } from '../errors/flowcard-error';
import { flowCodes } from '../errors/codes/flow-codes';
import type { RunStateStore } from './run-state-store';
import type { StepJobData } from './step-job-handler';

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

  /** Applies the decision; returns the step (address) it was about. */
  async decide(runId: string, decision: ReviewDecision): Promise<{ stepId: string }> {
    const { state } = this.options;
    const run = await state.load(runId);
    if (!run) throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_FOUND, { runId });
    const stepId = run.currentStepId;
    if (run.status !== 'needs_review' || !stepId)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_IN_REVIEW, { runId, status: run.status });
    const generation = await state.redis.hincrby(state.runKey(runId), 'generation', 1);
    // Back to running, only from needs_review (atomic: of two people deciding, one acts), and the
    // unknown-outcome mark goes: the decision settles it.
    const moved = await state.transition(runId, {
      at: this.now(),
      status: 'running',
      error: null,
      clearPending: stepId,
      onlyFrom: 'needs_review',
    });
    if (!moved)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_IN_REVIEW, { runId, status: 'already decided' });
    // A new generation of the step's job: `skip` records it skipped and goes on (the handler uses
    // the flow's own navigation, branches and loops included); `retry` calls the service again.
    await this.options.enqueue({
      runId,
      stepId,
      attempt: generation + 1,
      ...(decision === 'skip' ? { review: 'skip' as const } : {}),
    });
    return { stepId };
  }
}
