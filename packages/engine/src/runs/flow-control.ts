import jsonata from 'jsonata';
import type { FlowForEachStepSpec, FlowPathsStepSpec } from '@flowcard/schemas';
import type { ErrorCodeSpec } from '../errors/error-code';
import { flowCodes } from '../errors/codes/flow-codes';
import {
  branchSteps,
  isCardStep,
  isForEachStep,
  isPathsStep,
  stepIndex,
  type AnyStepSpec,
  type StepPlace,
} from '../flows/flow-steps';
import type { RunStepRecord } from '../ports/run-repository';
import { renderDeep } from '../templates/render-deep';
import { RedisScript } from './redis-script';
import type { LiveRun, RunStateStore } from './run-state-store';
import { formatAddress, formatFrame, parseAddress, type LoopFrame } from './step-address';
import type { StepJobOutcome } from './step-job-handler';

/** A step job's payload as flow control enqueues it (StepJobData, without importing the handler). */
export interface ControlJob {
  runId: string;
  stepId: string;
  attempt: number;
  configurationId?: string;
}

/** What follows a step execution that just ended, as far as the spec alone tells. */
export type StepFollow =
  | { kind: 'next'; job: ControlJob }
  | { kind: 'end' }
  /** The step was the last of a branch or loop body: `proceed` decides (needs Redis). */
  | { kind: 'container' };

/** Fails the run at the current step (the handler's `fail`). */
export type FailStep = (spec: ErrorCodeSpec, params: Record<string, unknown>) => Promise<StepJobOutcome>;

export interface FlowControlOptions {
  state: RunStateStore;
  enqueue: (job: ControlJob) => Promise<void>;
  now: () => Date;
}

/** The template data of a step: the run's, plus the items of the loops around it. */
export interface StepContext {
  trigger: { output: unknown };
  steps: Record<string, { output: unknown }>;
  item?: unknown;
  index?: number;
  loops?: Record<string, { item: unknown; index: number }>;
  [root: string]: unknown;
}

/** Output of a paths step: the branches taken, in the order they run. */
export interface PathsOutput {
  branches: string[];
  otherwise: boolean;
}

const ITEMS = 'loopitems:';
const DONE = 'loopdone:';
const COUNT = 'loopcount:';

// Marks one loop item done with its output and counts it, once: a redelivered item end changes
// nothing. KEYS: run hash. ARGV: done field, item output JSON, count field.
// Returns the new count, or -1 when the item was already done.
const ITEM_DONE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return -1 end
return redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
`);

const conditions = new Map<string, ReturnType<typeof jsonata>>();

/**
 * Paths and loops on top of "one BullMQ job per step execution". A step inside loops runs at an
 * address (`send@each.3`, see step-address.ts); what runs next is decided from the spec when it
 * is the next step of the same list, and here when a branch or a loop item ends:
 *
 * - A paths step's job evaluates the branch conditions, stores `{branches, otherwise}` as its
 *   output (the path taken, on the run's record) and enqueues the first step of the first branch
 *   taken; the end of a branch enqueues the next branch taken ("every" mode) or what follows the
 *   paths step.
 * - A forEach step's job renders its list (refusing more than maxItems), stores it once in the run
 *   hash and enqueues the first step of items 0..concurrency-1. The end of item i is counted once
 *   (HSETNX + HINCRBY in one script) and enqueues item i+concurrency, so exactly `concurrency`
 *   items are in flight; the end that makes the count reach the length stores the loop's output
 *   (the list of per-item outputs: each item's last step's output) and goes on after the loop.
 *
 * Everything is idempotent under redelivery: outputs are stored once, job ids deduplicate
 * enqueues, and a redelivered end re-enqueues the same successors.
 */
export class FlowControl {
  constructor(private readonly options: FlowControlOptions) {}

  /** The place of a step id in a run's spec. */
  place(run: LiveRun, stepId: string): StepPlace | undefined {
    return stepIndex(run.spec).get(stepId);
  }

  /** What follows the end of the step at (place, frame); `filtered` ends its branch, item or run. */
  follow(runId: string, place: StepPlace, frame: readonly LoopFrame[], filtered: boolean): StepFollow {
    if (!filtered && place.position + 1 < place.list.length)
      return { kind: 'next', job: stepJob(runId, place.list[place.position + 1], frame) };
    return place.container.kind === 'root' ? { kind: 'end' } : { kind: 'container' };
  }

  /** Template data for a step at `frame`: outputs of this item and outer scopes, the loops' items. */
  async contextFor(run: LiveRun, frame: readonly LoopFrame[]): Promise<StepContext> {
    const steps: Record<string, { output: unknown }> = {};
    const visible = new Set<string>(['']);
    for (let depth = 1; depth <= frame.length; depth++) visible.add(formatFrame(frame.slice(0, depth)));
    for (const [address, output] of Object.entries(run.outputs)) {
      const at = address.indexOf('@');
      if (at < 0) steps[address] = { output };
      else if (visible.has(address.slice(at + 1))) steps[address.slice(0, at)] = { output };
    }
    const context: StepContext = { trigger: { output: run.triggerOutput }, steps };
    if (frame.length === 0) return context;
    const fields = frame.map(
      (_, depth) => `${ITEMS}${formatAddress(frame[depth].loop, frame.slice(0, depth))}`,
    );
    const lists = await this.options.state.redis.hmget(this.options.state.runKey(run.id), ...fields);
    const loops: Record<string, { item: unknown; index: number }> = {};
    frame.forEach((entry, depth) => {
      const list = lists[depth] === null ? [] : (JSON.parse(lists[depth] as string) as unknown[]);
      loops[entry.loop] = { item: list[entry.index], index: entry.index };
    });
    const innermost = frame[frame.length - 1];
    return { ...context, item: loops[innermost.loop].item, index: innermost.index, loops };
  }

  /** Runs a paths or forEach step's job. */
  async enter(
    run: LiveRun,
    place: StepPlace,
    frame: readonly LoopFrame[],
    attempt: number,
    fail: FailStep,
  ): Promise<StepJobOutcome> {
    const step = place.step;
    const address = formatAddress(step.id, frame);
    if (address in run.outputs) {
      // Redelivered after it ran: do again what followed it (job ids make that a no-op).
      if (isPathsStep(step))
        await this.startBranches(run, place, frame, run.outputs[address] as PathsOutput, -1);
      else await this.proceed(run, place, frame, run.outputs[address], false);
      return 'duplicate';
    }
    const startedAt = this.options.now();
    const context = await this.contextFor(run, frame);
    if (isPathsStep(step)) return this.enterPaths(run, place, step, frame, attempt, context, startedAt, fail);
    if (isForEachStep(step))
      return this.enterLoop(run, place, step, frame, attempt, context, startedAt, fail);
    throw new Error(`step ${step.id} is not a paths or forEach step`);
  }

  /**
   * Goes on after the step at (place, frame) ended with `output`: the next step of its list, or
   * (at the end of a list, or when a filter stopped it) the next branch taken, the loop item's end,
   * or the run's end.
   */
  async proceed(
    run: LiveRun,
    place: StepPlace,
    frame: readonly LoopFrame[],
    output: unknown,
    filtered: boolean,
  ): Promise<void> {
    const follow = this.follow(run.id, place, frame, filtered);
    if (follow.kind === 'next') return this.options.enqueue(follow.job);
    if (follow.kind === 'end') {
      const at = this.options.now();
      await this.options.state.transition(run.id, {
        at,
        status: filtered ? 'filtered' : 'succeeded',
        currentStepId: null,
        finishedAt: at,
      });
      return;
    }
    const container = place.container;
    const parent = place.parent as StepPlace;
    if (container.kind === 'branch') {
      const pathsAddress = formatAddress(container.paths.id, frame);
      const taken = (await this.outputOf(run, pathsAddress)) as PathsOutput | undefined;
      const order = takenOrder(taken);
      return this.startBranches(run, parent, frame, taken, order.indexOf(container.branch));
    }
    if (container.kind === 'loop') {
      const outer = frame.slice(0, -1);
      const item = frame[frame.length - 1].index;
      return this.itemDone(run, parent, container.loop, outer, item, filtered ? null : output);
    }
  }

  private async enterPaths(
    run: LiveRun,
    place: StepPlace,
    step: FlowPathsStepSpec,
    frame: readonly LoopFrame[],
    attempt: number,
    context: StepContext,
    startedAt: Date,
    fail: FailStep,
  ): Promise<StepJobOutcome> {
    const branches: string[] = [];
    for (const branch of step.branches) {
      let passes: boolean;
      try {
        passes = await evaluate(branch.condition, context);
      } catch (error) {
        return fail(flowCodes.FLOWCARD_ERR_RUN_CONDITION_FAILED, {
          stepId: `${step.id} (branch ${branch.name})`,
          message: (error as Error).message,
        });
      }
      if (passes) {
        branches.push(branch.name);
        if ((step.mode ?? 'first') === 'first') break;
      }
    }
    const output: PathsOutput = {
      branches,
      otherwise: branches.length === 0 && step.otherwise !== undefined,
    };
    const address = formatAddress(step.id, frame);
    const stored = await this.record(run, address, attempt, output, startedAt);
    if (!stored) return 'duplicate';
    await this.startBranches(run, place, frame, output, -1);
    return 'succeeded';
  }

  /** Starts the first branch taken after position `after` of the taken order, or goes on after the paths step. */
  private async startBranches(
    run: LiveRun,
    place: StepPlace,
    frame: readonly LoopFrame[],
    taken: PathsOutput | undefined,
    after: number,
  ): Promise<void> {
    const paths = place.step as FlowPathsStepSpec;
    const order = takenOrder(taken);
    for (let i = after + 1; i < order.length; i++) {
      const steps = branchSteps(paths, order[i]);
      if (steps.length > 0) return this.options.enqueue(stepJob(run.id, steps[0], frame));
    }
    return this.proceed(run, place, frame, taken ?? null, false);
  }

  private async enterLoop(
    run: LiveRun,
    place: StepPlace,
    step: FlowForEachStepSpec,
    frame: readonly LoopFrame[],
    attempt: number,
    context: StepContext,
    startedAt: Date,
    fail: FailStep,
  ): Promise<StepJobOutcome> {
    const value = renderDeep(step.items, context);
    if (!Array.isArray(value))
      return fail(flowCodes.FLOWCARD_ERR_RUN_FOREACH_NOT_A_LIST, {
        stepId: step.id,
        items: step.items,
        actual: value === undefined ? 'missing' : value === null ? 'null' : typeof value,
      });
    const maxItems = step.maxItems ?? 100;
    if (value.length > maxItems)
      return fail(flowCodes.FLOWCARD_ERR_RUN_FOREACH_TOO_MANY, {
        stepId: step.id,
        count: value.length,
        maxItems,
      });
    const address = formatAddress(step.id, frame);
    const key = this.options.state.runKey(run.id);
    // First write wins: a redelivered job iterates over the same list.
    await this.options.state.redis.hsetnx(key, `${ITEMS}${address}`, JSON.stringify(value));
    const count = await this.itemCount(run.id, address);
    await this.options.state.transition(run.id, {
      at: this.options.now(),
      status: 'running',
      currentStepId: address,
    });
    if (count === 0)
      return (await this.finishLoop(run, place, step, frame, 0, attempt, startedAt))
        ? 'succeeded'
        : 'duplicate';
    const concurrency = Math.min(step.concurrency ?? 1, count);
    for (let index = 0; index < concurrency; index++)
      await this.options.enqueue(stepJob(run.id, step.steps[0], [...frame, { loop: step.id, index }]));
    return 'succeeded';
  }

  private async itemDone(
    run: LiveRun,
    place: StepPlace,
    loop: FlowForEachStepSpec,
    outer: readonly LoopFrame[],
    index: number,
    output: unknown,
  ): Promise<void> {
    const address = formatAddress(loop.id, outer);
    const key = this.options.state.runKey(run.id);
    const counted = Number(
      await ITEM_DONE.run(
        this.options.state.redis,
        [key],
        [`${DONE}${address}.${index}`, JSON.stringify(output ?? null), `${COUNT}${address}`],
      ),
    );
    if (counted === -2) return;
    const done =
      counted === -1
        ? Number((await this.options.state.redis.hget(key, `${COUNT}${address}`)) ?? 0)
        : counted;
    const count = await this.itemCount(run.id, address);
    const next = index + (loop.concurrency ?? 1);
    if (next < count)
      await this.options.enqueue(stepJob(run.id, loop.steps[0], [...outer, { loop: loop.id, index: next }]));
    if (done >= count) await this.finishLoop(run, place, loop, outer, count, 1, this.options.now());
  }

  /** Stores the loop's output (the per-item outputs, in item order) and goes on after it. */
  private async finishLoop(
    run: LiveRun,
    place: StepPlace,
    loop: FlowForEachStepSpec,
    outer: readonly LoopFrame[],
    count: number,
    attempt: number,
    startedAt: Date,
  ): Promise<boolean> {
    const address = formatAddress(loop.id, outer);
    const key = this.options.state.runKey(run.id);
    const fields = Array.from({ length: count }, (_, index) => `${DONE}${address}.${index}`);
    const raw = count === 0 ? [] : await this.options.state.redis.hmget(key, ...fields);
    const outputs = raw.map((value) => (value === null ? null : (JSON.parse(value) as unknown)));
    const stored = await this.record(run, address, attempt, outputs, startedAt);
    // Stored by an earlier delivery or not: what follows is enqueued again (deduplicated by job id).
    await this.proceed(run, place, outer, outputs, false);
    return stored;
  }

  /** Stores a paths/forEach step's output with a succeeded record; false when it was stored before. */
  private async record(
    run: LiveRun,
    address: string,
    attempt: number,
    output: unknown,
    startedAt: Date,
  ): Promise<boolean> {
    const at = this.options.now();
    const revision = await this.options.state.transition(run.id, {
      at,
      status: 'running',
      output: { stepId: address, value: output },
      record: record(run, address, attempt, 'succeeded', null, output, startedAt, at),
    });
    return Boolean(revision);
  }

  private async itemCount(runId: string, loopAddress: string): Promise<number> {
    const raw = await this.options.state.redis.hget(
      this.options.state.runKey(runId),
      `${ITEMS}${loopAddress}`,
    );
    return raw === null ? 0 : (JSON.parse(raw) as unknown[]).length;
  }

  /** A step's stored output, from the loaded run or (stored after it was loaded) from Redis. */
  private async outputOf(run: LiveRun, address: string): Promise<unknown> {
    if (address in run.outputs) return run.outputs[address];
    const fresh = await this.options.state.load(run.id);
    return fresh?.outputs[address];
  }

  /**
   * The jobs that resume a failed run inside loops: besides the failed step, the items that were
   * in flight when the run failed (their jobs stopped at the failed run) restart at their first
   * step; steps that already have an output only pass the item on, so each resumes where it was.
   */
  async resumeJobs(run: LiveRun, failedAddress: string, generation: number): Promise<ControlJob[]> {
    const { stepId, frame } = parseAddress(failedAddress);
    const place = this.place(run, stepId);
    const jobs: ControlJob[] = [];
    if (place) jobs.push({ ...stepJob(run.id, place.step, frame), attempt: generation });
    const key = this.options.state.runKey(run.id);
    for (let depth = 0; depth < frame.length; depth++) {
      const outer = frame.slice(0, depth);
      const loop = place?.loops[depth];
      if (!loop || loop.id !== frame[depth].loop) continue;
      const address = formatAddress(loop.id, outer);
      const count = await this.itemCount(run.id, address);
      const done = Number((await this.options.state.redis.hget(key, `${COUNT}${address}`)) ?? 0);
      const launched = Math.min(count, done + (loop.concurrency ?? 1));
      for (let index = 0; index < launched; index++) {
        if (index === frame[depth].index) continue;
        if ((await this.options.state.redis.hexists(key, `${DONE}${address}.${index}`)) === 1) continue;
        jobs.push({
          ...stepJob(run.id, loop.steps[0], [...outer, { loop: loop.id, index }]),
          attempt: generation,
        });
      }
    }
    return jobs;
  }
}

/** The job of a step at a frame (first generation), naming its configuration for the broken-flag read. */
export function stepJob(runId: string, step: AnyStepSpec, frame: readonly LoopFrame[]): ControlJob {
  const configurationId = isCardStep(step) ? step.configurationId : undefined;
  return {
    runId,
    stepId: formatAddress(step.id, frame),
    attempt: 1,
    ...(configurationId === undefined ? {} : { configurationId }),
  };
}

/** Branch names in the order they run; null = otherwise. */
function takenOrder(taken: PathsOutput | undefined): Array<string | null> {
  if (!taken) return [];
  return [...taken.branches, ...(taken.otherwise ? [null] : [])];
}

async function evaluate(expression: string, context: unknown): Promise<boolean> {
  let compiled = conditions.get(expression);
  if (!compiled) {
    compiled = jsonata(expression);
    conditions.set(expression, compiled);
  }
  return Boolean(await compiled.evaluate(context));
}

function record(
  run: LiveRun,
  address: string,
  attempt: number,
  status: RunStepRecord['status'],
  input: unknown,
  output: unknown,
  startedAt: Date,
  at: Date,
): RunStepRecord {
  return {
    id: `${run.id}:${address}:${attempt}`,
    runId: run.id,
    flowId: run.flowId,
    stepId: address,
    attempt,
    status,
    input,
    output,
    error: null,
    durationMs: at.getTime() - startedAt.getTime(),
    startedAt,
  };
}
