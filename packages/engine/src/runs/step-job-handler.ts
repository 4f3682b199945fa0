import { DelayedError, type Job } from 'bullmq';
import jsonata from 'jsonata';
import type { FlowStepSpec } from '@flowcard/schemas';
import type { CardLogger } from '@flowcard/sdk';
import { formatErrorMessage, type ErrorCodeSpec } from '../errors/error-code';
import { flowCodes } from '../errors/codes/flow-codes';
import type { ExecuteCardRequest, ExecuteCardResult } from '../executor/execute-card.types';
import { redactSecrets } from '../http/redact-secrets';
import type { RunError, RunStepRecord, RunStepStatus } from '../ports/run-repository';
import type { MetaRateLimiter, RateLimitKeys } from '../rate-limit/meta-rate-limiter';
import { spreadRelease } from '../rate-limit/spread-release';
import type { LoadedCard } from '../registry/loaded-connector';
import { isCardStep, type AnyStepSpec, type StepPlace } from '../flows/flow-steps';
import { renderDeep } from '../templates/render-deep';
import type { ParkedSteps } from './parked-steps';
import { unconfiguredStep } from './unconfigured-step';
import { FlowControl, stepJob } from './flow-control';
import { parseAddress, type LoopFrame } from './step-address';
import {
  coreRateLimitKeys,
  filteredOutput,
  delayWake,
  filteredOut,
  isDelay,
  withRunData,
  type DelayWake,
} from './core-steps';
import { defaultRateLimitKeys, type RateLimitKeyResolver } from './rate-limit-keys';
import type { LiveRun, RunStateStore } from './run-state-store';
import { decideStepFailure } from './step-failure-policy';
import type {
  ConfigurationStatusPort,
  StepConfiguration,
  StepConfigurationSource,
} from './step-configuration-source';

/** The payload of a `flowcard-steps` job: ids only (docs/architecture.md §6). Job id: `${runId}:${stepId}:${attempt}`. */
export interface StepJobData {
  runId: string;
  stepId: string;
  /** Generation of the step: 1, then +1 for every re-run of a failed run from this step. */
  attempt: number;
  /**
   * The step's configuration id, copied from the run's spec snapshot when the job is enqueued
   * (optional: jobs enqueued before it existed lack it, and then the handler asks Redis
   * separately). Lets the handler read the configuration's "needs re-auth" flag in the same Redis
   * round trip that loads the run, instead of a separate EXISTS per step.
   */
  configurationId?: string;
  /** Set by RunReview when a person skipped the step held for review: record it skipped, call nothing. */
  review?: 'skip';
}

/** What a step job ended with (the BullMQ job's return value; for logs and tests). */
export type StepJobOutcome = 'succeeded' | 'skipped' | 'failed' | 'duplicate' | 'unknown_run' | 'held';

/** The card lookup the handler needs (ConnectorRegistry satisfies it). */
export interface CardLookup {
  /** The card `ref` as `workspaceId` sees it (the deployment's connectors and that workspace's own). */
  card(ref: string, workspaceId?: string): LoadedCard | undefined;
  /** Why card(ref) is undefined (": connector "x" is loaded in major 2 only"); ConnectorRegistry has it. */
  missingCardReason?(ref: string): string;
  /**
   * Looks for newly published connector versions now instead of at the next poll. Called once before
   * a card is declared missing: a step can reach this worker moments after its card was published.
   */
  refresh?(): Promise<void>;
}

/** The executor the handler needs (CardExecutor satisfies it). */
export interface StepExecutor {
  execute(request: ExecuteCardRequest): Promise<ExecuteCardResult>;
}

export interface StepJobHandlerOptions {
  state: RunStateStore;
  cards: CardLookup;
  executor: StepExecutor;
  configurations: StepConfigurationSource;
  parked: ParkedSteps;
  /** Enqueues a step job (the runner's, so job ids and options stay in one place). */
  enqueue: (data: StepJobData) => Promise<void>;
  configurationStatus?: ConfigurationStatusPort;
  rateLimiter?: MetaRateLimiter;
  rateLimitKeys?: RateLimitKeyResolver;
  /** How often a parked step looks again by itself, in case a resume was missed. Default 10 min. */
  parkRecheckMs?: number;
  logger?: CardLogger;
  now?: () => Date;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };
const conditions = new Map<string, ReturnType<typeof jsonata>>();

/**
 * Runs one step of one run.
 *
 * Contract (docs/conventions.md #7):
 * - Payload: `{runId, stepId, attempt}` only; job id `${runId}:${stepId}:${attempt}` (attempt is the
 *   step's generation: 1, +1 per re-run of a failed run).
 * - Reads: the run's live state in Redis (status, spec snapshot, trigger output, earlier step
 *   outputs) in one round trip; the configuration through the cache; the card from the registry.
 *   Never the database.
 * - Writes: one atomic Redis script per outcome: the step output (what later steps read), the run
 *   status, and a history entry in the outbox that the RunHistoryWriter flushes to the store in
 *   batches. Rate-limit budgets in Redis. Parked step ids in a Redis set per configuration.
 * - Emits: the next step's job when this one succeeded; `needsReauth` / `permissionMissing` on the
 *   ConfigurationStatusPort.
 * - Signals: retry → throw (BullMQ retries with capped exponential back-off; the last attempt fails
 *   the run); rate_limited → job moved to delayed until access is regained (not an attempt);
 *   auth → run `waiting_for_reauth`, job delayed until resumed; permission, invalid → run failed.
 * - Safe to run twice: a finished run or a step that already has an output makes the job a no-op
 *   (it only re-enqueues the next step, itself deduplicated by job id); storing the output refuses
 *   a second one atomically, so two racing deliveries record one success. A delivery that finds the
 *   previous one's outcome unknown (the pending mark BEGIN_ATTEMPT sets and every outcome clears) of
 *   a card declared `repeatable: false` holds the run as `needs_review` when the flow says
 *   `onUnknownOutcome: hold` (the default); repeatable cards and `repeat` flows call again.
 */
export class StepJobHandler {
  private readonly rateLimitKeys: RateLimitKeyResolver;
  private readonly parkRecheckMs: number;
  private readonly logger: CardLogger;
  private readonly now: () => Date;

  /** Paths and loops: what runs after a branch or loop item ends (see FlowControl). */
  readonly control: FlowControl;

  constructor(private readonly options: StepJobHandlerOptions) {
    this.control = new FlowControl({
      state: options.state,
      enqueue: (data) => options.enqueue(data),
      now: () => this.now(),
    });
    this.rateLimitKeys = options.rateLimitKeys ?? defaultRateLimitKeys;
    this.parkRecheckMs = options.parkRecheckMs ?? 10 * 60_000;
    this.logger = options.logger ?? SILENT;
    this.now = options.now ?? ((): Date => new Date());
  }

  /** The BullMQ processor: `new Worker(name, (job, token) => handler.handle(job, token))`. */
  async handle(job: Job<StepJobData>, token?: string): Promise<StepJobOutcome> {
    const { runId, stepId, configurationId: hintedConfigurationId } = job.data;
    const { run, attempt, flagged, previousOutcomeUnknown } = await this.options.state.beginAttempt(
      runId,
      stepId,
      hintedConfigurationId === undefined ? undefined : this.options.parked.flagKey(hintedConfigurationId),
    );
    if (!run) {
      this.logger.warn('step job for an unknown run', { runId, stepId });
      return 'unknown_run';
    }
    if (
      run.status === 'succeeded' ||
      run.status === 'failed' ||
      run.status === 'filtered' ||
      run.status === 'needs_review'
    )
      return 'duplicate';
    // stepId is the step's address: its id, plus the loop items around it (`send@each.3`).
    const { stepId: specStepId, frame } = parseAddress(stepId);
    const place = this.control.place(run, specStepId);
    if (!place)
      return this.fail(run, stepId, attempt, flowCodes.FLOWCARD_ERR_RUN_STEP_MISSING, {
        stepId,
        flowId: run.flowId,
        version: run.flowVersion,
      });
    if (!isCardStep(place.step))
      return this.control.enter(run, place, frame, attempt, (spec, params) =>
        this.fail(run, stepId, attempt, spec, params),
      );
    const step: FlowStepSpec = frame.length === 0 ? place.step : { ...place.step, id: stepId };
    if (stepId in run.outputs) {
      const output = run.outputs[stepId];
      await this.control.proceed(run, place, frame, output, filteredOutput(step.card, output));
      return 'duplicate';
    }

    const startedAt = this.now();
    // A person skipped this step after it was held for review (RunReview): recorded as skipped,
    // no call, and the flow goes on wherever the step leads.
    if (job.data.review === 'skip')
      return this.succeed(run, place, frame, step, attempt, 'skipped', null, null, startedAt);
    const context = await this.control.contextFor(run, frame);
    if (step.condition !== undefined) {
      let passes: boolean;
      try {
        passes = await evaluateCondition(step.condition, context);
      } catch (error) {
        return this.fail(run, stepId, attempt, flowCodes.FLOWCARD_ERR_RUN_CONDITION_FAILED, {
          stepId,
          message: (error as Error).message,
        });
      }
      if (!passes) return this.succeed(run, place, frame, step, attempt, 'skipped', null, null, startedAt);
    }

    const card = await this.findCard(step.card, run.workspaceId);
    if (!card) {
      const reason = this.options.cards.missingCardReason?.(step.card) ?? '';
      return this.fail(run, stepId, attempt, flowCodes.FLOWCARD_ERR_RUN_CARD_UNAVAILABLE, {
        card: step.card,
        stepId,
        reason,
      });
    }
    if (previousOutcomeUnknown && holdsUnknownOutcome(card, run))
      return this.holdForReview(run, step, attempt, startedAt);
    let configuration: StepConfiguration | null;
    try {
      configuration =
        step.configurationId === undefined
          ? unconfiguredStep(run, card)
          : await this.options.configurations.get(step.configurationId);
    } catch (error) {
      // E.g. its secrets cannot be opened on this worker (a master key missing): recorded and
      // retried like any other failure, then the run fails naming the cause, never stuck queued.
      return this.configurationUnreadable(job, run, step.id, attempt, error, startedAt);
    }
    if (!configuration) {
      return this.fail(run, stepId, attempt, flowCodes.FLOWCARD_ERR_RUN_CONFIGURATION_MISSING, {
        configurationId: step.configurationId ?? '',
        stepId,
      });
    }
    let input = withRunData(
      card,
      (renderDeep(step.input, context) ?? {}) as Record<string, unknown>,
      context,
    );

    // A configuration known to be broken parks new steps without calling the service again. The
    // flag usually came with the run (the job named the configuration); otherwise ask Redis.
    const broken =
      configuration.status === 'needs_reauth' ||
      // Expiry reached (token or data access): Meta refuses it, so the step waits like on a 190.
      configuration.status === 'expired' ||
      // Cards that need no configuration (core) have none to be broken.
      (configuration.id !== '' &&
        (hintedConfigurationId === configuration.id && flagged !== undefined
          ? flagged
          : await this.options.parked.isBroken(configuration.id)));
    if (broken) {
      const error = codeError(
        flowCodes.FLOWCARD_ERR_RUN_NEEDS_REAUTH,
        { configurationId: configuration.id },
        stepId,
      );
      return this.park(job, token, run, step, configuration, attempt, error, null, startedAt, false);
    }

    if (isDelay(card)) {
      const wake = await delayWake(this.options.state, run.id, step.id, input, startedAt);
      if (wake) {
        input = { until: wake.until.toISOString() };
        const waitMs = wake.until.getTime() - this.now().getTime();
        if (waitMs > 0) return this.wait(job, token, run, step.id, attempt, input, wake, waitMs, startedAt);
      }
    }

    const keys = coreRateLimitKeys(card, input) ?? this.rateLimitKeys(card, configuration, input);
    if (this.options.rateLimiter) {
      const decision = await this.options.rateLimiter.acquire(keys);
      // Waiting for our own budget is not an attempt and not worth a history record.
      if (!decision.ok) return this.delay(job, token, spreadRelease(decision.retryAfterMs));
    }

    let result: ExecuteCardResult;
    try {
      result = await this.options.executor.execute({ card, configuration, input, logger: this.logger });
    } catch (error) {
      return this.handleFailure(job, token, run, step, configuration, attempt, input, keys, error, startedAt);
    }
    if (this.options.rateLimiter && result.usage)
      await this.options.rateLimiter.observe(result.usage, keys.app);
    return this.succeed(
      run,
      place,
      frame,
      step,
      attempt,
      'succeeded',
      redactInput(input, configuration),
      result.output,
      startedAt,
      filteredOut(card, result.output),
    );
  }

  /** A core/delay step before its wake time: its job waits delayed (no worker slot), recorded once. */
  private async wait(
    job: Job<StepJobData>,
    token: string | undefined,
    run: LiveRun,
    stepId: string,
    attempt: number,
    input: unknown,
    wake: DelayWake,
    waitMs: number,
    startedAt: Date,
  ): Promise<never> {
    if (wake.first) {
      const at = this.now();
      await this.options.state.transition(run.id, {
        at,
        status: 'running',
        record: stepRecord(run, stepId, attempt, 'delayed', input, null, null, startedAt, at),
      });
    }
    return this.delay(job, token, waitMs);
  }

  /** The card of a step, refreshing the registry once when this process does not know it yet. */
  private async findCard(ref: string, workspaceId: string): Promise<LoadedCard | undefined> {
    const card = this.options.cards.card(ref, workspaceId);
    if (card || !this.options.cards.refresh) return card;
    await this.options.cards.refresh();
    return this.options.cards.card(ref, workspaceId);
  }

  /**
   * Stores the step's output and goes on: the next step of its list or the run's end in the same
   * transition; at the end of a branch or loop item, through flow control. A filter that did not
   * pass ends its list early: the run at top level, else its branch or loop item.
   */
  private async succeed(
    run: LiveRun,
    place: StepPlace,
    frame: readonly LoopFrame[],
    step: FlowStepSpec,
    attempt: number,
    status: 'succeeded' | 'skipped',
    input: unknown,
    output: unknown,
    startedAt: Date,
    filtered = false,
  ): Promise<StepJobOutcome> {
    const at = this.now();
    const follow = this.control.follow(run.id, place, frame, filtered);
    const ends = follow.kind === 'end';
    const stored = await this.options.state.transition(run.id, {
      at,
      status: ends ? (filtered ? 'filtered' : 'succeeded') : 'running',
      currentStepId: follow.kind === 'next' ? follow.job.stepId : ends ? null : step.id,
      error: null,
      ...(ends ? { finishedAt: at } : {}),
      output: { stepId: step.id, value: output },
      record: stepRecord(run, step.id, attempt, status, input, output, null, startedAt, at),
    });
    if (!stored) return 'duplicate';
    if (follow.kind === 'next') await this.options.enqueue(follow.job);
    else if (follow.kind === 'container') await this.control.proceed(run, place, frame, output, filtered);
    return status;
  }

  private async handleFailure(
    job: Job<StepJobData>,
    token: string | undefined,
    run: LiveRun,
    step: FlowStepSpec,
    configuration: StepConfiguration,
    attempt: number,
    input: Record<string, unknown>,
    keys: RateLimitKeys,
    error: unknown,
    startedAt: Date,
  ): Promise<StepJobOutcome> {
    const action = decideStepFailure(error, {
      stepId: step.id,
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
    });
    const redacted = redactInput(input, configuration);
    const at = this.now();
    switch (action.kind) {
      case 'retry':
        await this.options.state.transition(run.id, {
          at,
          status: 'running',
          record: stepRecord(run, step.id, attempt, 'retrying', redacted, null, action.error, startedAt, at),
        });
        throw error;
      case 'delay':
        await this.options.rateLimiter?.penalize(keys, action.delayMs, action.scope);
        await this.options.state.transition(run.id, {
          at,
          record: stepRecord(run, step.id, attempt, 'delayed', redacted, null, action.error, startedAt, at),
        });
        return this.delay(job, token, spreadRelease(action.delayMs));
      case 'park':
        return this.park(
          job,
          token,
          run,
          step,
          configuration,
          attempt,
          action.error,
          redacted,
          startedAt,
          true,
        );
      case 'fail': {
        if (action.error.signal === 'permission') {
          await this.options.configurationStatus?.permissionMissing?.({
            configurationId: configuration.id,
            ownerId: configuration.ownerId,
            workspaceId: configuration.workspaceId,
            runId: run.id,
            flowId: run.flowId,
            permission: action.error.permission ?? null,
            message: action.error.message,
          });
        }
        return this.finishFailed(run, step.id, attempt, action.error, redacted, startedAt);
      }
    }
  }

  /**
   * The previous delivery of this step was cut short after it may have called the service (a worker
   * died, or Redis lost the run), the card is not safe to repeat and the flow holds such steps: the
   * run waits as `needs_review` for a person to retry or skip the step (RunReview).
   */
  private async holdForReview(
    run: LiveRun,
    step: FlowStepSpec,
    attempt: number,
    startedAt: Date,
  ): Promise<StepJobOutcome> {
    const error = codeError(
      flowCodes.FLOWCARD_ERR_RUN_OUTCOME_UNKNOWN,
      { stepId: step.id, card: step.card },
      step.id,
    );
    const at = this.now();
    await this.options.state.transition(run.id, {
      at,
      status: 'needs_review',
      currentStepId: step.id,
      error,
      record: stepRecord(run, step.id, attempt, 'needs_review', null, null, error, startedAt, at),
    });
    this.logger.warn('step held for review: its previous call may have reached the service', {
      runId: run.id,
      stepId: step.id,
      card: step.card,
    });
    return 'held';
  }

  /** Parks the step until its configuration is re-authorised: the job waits delayed, resumeParked promotes it. */
  private async park(
    job: Job<StepJobData>,
    token: string | undefined,
    run: LiveRun,
    step: FlowStepSpec,
    configuration: StepConfiguration,
    attempt: number,
    error: RunError,
    input: unknown,
    startedAt: Date,
    calledService: boolean,
  ): Promise<StepJobOutcome> {
    const newlyBroken = await this.options.parked.park(
      configuration.id,
      `${run.id}:${step.id}:${job.data.attempt}`,
    );
    const at = this.now();
    if (run.status !== 'waiting_for_reauth' || calledService) {
      await this.options.state.transition(run.id, {
        at,
        status: 'waiting_for_reauth',
        currentStepId: step.id,
        error,
        record: stepRecord(run, step.id, attempt, 'parked', input, null, error, startedAt, at),
      });
    } else {
      await this.options.state.touch(run.id);
    }
    if (newlyBroken && calledService) {
      await this.options.configurationStatus?.needsReauth({
        configurationId: configuration.id,
        ownerId: configuration.ownerId,
        workspaceId: configuration.workspaceId,
        runId: run.id,
        flowId: run.flowId,
        code: error.code,
        message: error.message,
      });
    }
    return this.delay(job, token, this.parkRecheckMs);
  }

  private async configurationUnreadable(
    job: Job<StepJobData>,
    run: LiveRun,
    stepId: string,
    attempt: number,
    error: unknown,
    startedAt: Date,
  ): Promise<StepJobOutcome> {
    const action = decideStepFailure(error, {
      stepId,
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
    });
    if (action.kind !== 'retry')
      return this.finishFailed(run, stepId, attempt, action.error, null, startedAt);
    const at = this.now();
    await this.options.state.transition(run.id, {
      at,
      status: 'running',
      record: stepRecord(run, stepId, attempt, 'retrying', null, null, action.error, startedAt, at),
    });
    throw error;
  }

  private async fail(
    run: LiveRun,
    stepId: string,
    attempt: number,
    spec: ErrorCodeSpec,
    params: Record<string, unknown>,
  ): Promise<StepJobOutcome> {
    return this.finishFailed(run, stepId, attempt, codeError(spec, params, stepId), null, this.now());
  }

  private async finishFailed(
    run: LiveRun,
    stepId: string,
    attempt: number,
    error: RunError,
    input: unknown,
    startedAt: Date,
  ): Promise<StepJobOutcome> {
    const at = this.now();
    await this.options.state.transition(run.id, {
      at,
      status: 'failed',
      currentStepId: stepId,
      error,
      finishedAt: at,
      record: stepRecord(run, stepId, attempt, 'failed', input, null, error, startedAt, at),
    });
    return 'failed';
  }

  /** Moves the job back to delayed without counting an attempt (BullMQ's DelayedError protocol). */
  private async delay(job: Job<StepJobData>, token: string | undefined, ms: number): Promise<never> {
    // Whatever delays the step, its call is not under way: the next delivery is no unknown outcome.
    await this.options.state.clearPending(job.data.runId, job.data.stepId);
    await job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(ms)), token);
    throw new DelayedError();
  }
}

/** Whether an unknown outcome of this step holds the run: a non-repeatable card in a flow that holds. */
function holdsUnknownOutcome(card: LoadedCard, run: LiveRun): boolean {
  return card.spec.repeatable === false && (run.spec.onUnknownOutcome ?? 'hold') === 'hold';
}

/** The job of a run's step outside loops (first generation), naming its configuration for the broken-flag read. */
export function nextStepJob(runId: string, step: AnyStepSpec): StepJobData {
  return stepJob(runId, step, []);
}

async function evaluateCondition(expression: string, context: unknown): Promise<boolean> {
  let compiled = conditions.get(expression);
  if (!compiled) {
    compiled = jsonata(expression);
    conditions.set(expression, compiled);
  }
  return Boolean(await compiled.evaluate(context));
}

function redactInput(input: Record<string, unknown>, configuration: StepConfiguration): unknown {
  return JSON.parse(redactSecrets(JSON.stringify(input), Object.values(configuration.secrets)));
}

function codeError(spec: ErrorCodeSpec, params: Record<string, unknown>, stepId: string): RunError {
  return {
    code: spec.code,
    message: formatErrorMessage(spec.message, params),
    signal: spec.category === 'client' || spec.category === 'server' ? null : spec.category,
    stepId,
  };
}

function stepRecord(
  run: LiveRun,
  stepId: string,
  attempt: number,
  status: RunStepStatus,
  input: unknown,
  output: unknown,
  error: RunError | null,
  startedAt: Date,
  at: Date,
): RunStepRecord {
  return {
    id: `${run.id}:${stepId}:${attempt}`,
    runId: run.id,
    flowId: run.flowId,
    stepId,
    attempt,
    status,
    input,
    output,
    error,
    durationMs: at.getTime() - startedAt.getTime(),
    startedAt,
  };
}
