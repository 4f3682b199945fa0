import type {
  FlowForEachStepSpec,
  FlowPathsStepSpec,
  FlowSpec,
  FlowStepSpec,
  StepList,
} from '@flowcard/schemas';

/** Any step of a flow: one that runs a card, a paths step or a forEach step. */
export type AnyStepSpec = StepList[number];

export function isPathsStep(step: AnyStepSpec): step is FlowPathsStepSpec {
  return (step as { type?: string }).type === 'paths';
}

export function isForEachStep(step: AnyStepSpec): step is FlowForEachStepSpec {
  return (step as { type?: string }).type === 'forEach';
}

export function isCardStep(step: AnyStepSpec): step is FlowStepSpec {
  return !isPathsStep(step) && !isForEachStep(step);
}

/** The step lists a step holds: each branch's, otherwise's, or the loop body. */
export function childLists(step: AnyStepSpec): readonly StepList[] {
  if (isPathsStep(step))
    return [...step.branches.map((branch) => branch.steps), ...(step.otherwise ? [step.otherwise] : [])];
  if (isForEachStep(step)) return [step.steps];
  return [];
}

/** Every step of a flow, depth first in reading order (a container before its steps). */
export function allSteps(steps: readonly AnyStepSpec[]): AnyStepSpec[] {
  const out: AnyStepSpec[] = [];
  for (const step of steps) {
    out.push(step);
    for (const list of childLists(step)) out.push(...allSteps(list));
  }
  return out;
}

/** Every step of a flow that runs a card, depth first. */
export function cardSteps(steps: readonly AnyStepSpec[]): FlowStepSpec[] {
  return allSteps(steps).filter(isCardStep);
}

/** The same step tree with every card step replaced by `change(step)` (containers rebuilt around them). */
export function mapCardSteps(
  steps: readonly AnyStepSpec[],
  change: (step: FlowStepSpec) => FlowStepSpec,
): StepList {
  return steps.map((step): AnyStepSpec => {
    if (isPathsStep(step))
      return {
        ...step,
        branches: step.branches.map((branch) => ({
          ...branch,
          steps: mapCardSteps(branch.steps, change),
        })) as FlowPathsStepSpec['branches'],
        ...(step.otherwise ? { otherwise: mapCardSteps(step.otherwise, change) } : {}),
      };
    if (isForEachStep(step)) return { ...step, steps: mapCardSteps(step.steps, change) };
    return change(step);
  }) as StepList;
}

/** Every configuration id a flow names: its trigger's and every card step's, nested ones included. */
export function configurationIdsOf(spec: Pick<FlowSpec, 'trigger' | 'steps'>): Set<string> {
  const ids = new Set<string>();
  if (spec.trigger.configurationId) ids.add(spec.trigger.configurationId);
  for (const step of cardSteps(spec.steps)) if (step.configurationId) ids.add(step.configurationId);
  return ids;
}

/** Where a step list sits: the flow itself, a branch of a paths step (otherwise = null name), or a loop body. */
export type StepContainer =
  | { kind: 'root' }
  | { kind: 'branch'; paths: FlowPathsStepSpec; branch: string | null }
  | { kind: 'loop'; loop: FlowForEachStepSpec };

/** A step and its place: its list, its position there, the container of the list. */
export interface StepPlace {
  step: AnyStepSpec;
  list: readonly AnyStepSpec[];
  position: number;
  container: StepContainer;
  /** The forEach steps around it, outermost first. */
  loops: readonly FlowForEachStepSpec[];
  /** Where the container step itself sits (undefined for root). */
  parent?: StepPlace;
}

const indexes = new WeakMap<object, Map<string, StepPlace>>();

/** Every step of a flow by id, with its place (cached per spec object). */
export function stepIndex(spec: Pick<FlowSpec, 'steps'>): Map<string, StepPlace> {
  let index = indexes.get(spec);
  if (!index) {
    index = new Map();
    fill(index, spec.steps, { kind: 'root' }, [], undefined);
    indexes.set(spec, index);
  }
  return index;
}

function fill(
  index: Map<string, StepPlace>,
  list: readonly AnyStepSpec[],
  container: StepContainer,
  loops: readonly FlowForEachStepSpec[],
  parent: StepPlace | undefined,
): void {
  list.forEach((step, position) => {
    const place: StepPlace = { step, list, position, container, loops, ...(parent ? { parent } : {}) };
    if (!index.has(step.id)) index.set(step.id, place);
    if (isPathsStep(step)) {
      for (const branch of step.branches)
        fill(index, branch.steps, { kind: 'branch', paths: step, branch: branch.name }, loops, place);
      if (step.otherwise)
        fill(index, step.otherwise, { kind: 'branch', paths: step, branch: null }, loops, place);
    } else if (isForEachStep(step)) {
      fill(index, step.steps, { kind: 'loop', loop: step }, [...loops, step], place);
    }
  });
}

/** The steps of a branch by name (null = otherwise). */
export function branchSteps(paths: FlowPathsStepSpec, branch: string | null): readonly AnyStepSpec[] {
  if (branch === null) return paths.otherwise ?? [];
  return paths.branches.find((candidate) => candidate.name === branch)?.steps ?? [];
}
