import {
  isCardStep,
  parseCardRef,
  type AnyStepSpec,
  type FlowSpec,
  type StepSpec,
  type TriggerSpec,
} from './flow-types';

/**
 * What the editor edits: a flow that may be incomplete (no trigger yet, a step without a
 * configuration). The API validates the whole flow on save; the editor never blocks a draft.
 * Steps are a list today; paths and for-each groups (the flow model's next shape) are drawn as
 * columns and framed groups by the layout once the model carries them.
 */
export interface Draft {
  readonly name: string;
  readonly trigger: TriggerSpec | null;
  readonly steps: readonly AnyStepSpec[];
}

/** Every step, nested ones included (paths branches, for-each bodies), in order. */
export function allSteps(steps: readonly AnyStepSpec[]): AnyStepSpec[] {
  const result: AnyStepSpec[] = [];
  for (const step of steps) {
    result.push(step);
    if (step.type === 'paths') {
      for (const branch of step.branches) result.push(...allSteps(branch.steps));
      if (step.otherwise) result.push(...allSteps(step.otherwise));
    } else if (step.type === 'forEach') result.push(...allSteps(step.steps));
  }
  return result;
}

/** A step anywhere in the flow, with the index of the top-level step that holds it. */
export function findStep(draft: Draft, stepId: string): { step: AnyStepSpec; topIndex: number } | undefined {
  for (let i = 0; i < draft.steps.length; i++) {
    const found = allSteps([draft.steps[i]!]).find((step) => step.id === stepId);
    if (found) return { step: found, topIndex: i };
  }
  return undefined;
}

function mapSteps(
  steps: readonly AnyStepSpec[],
  change: (step: AnyStepSpec) => AnyStepSpec | null,
): AnyStepSpec[] {
  const result: AnyStepSpec[] = [];
  for (const original of steps) {
    const step = change(original);
    if (step === null) continue;
    if (step.type === 'paths')
      result.push({
        ...step,
        branches: step.branches.map((branch) => ({ ...branch, steps: mapSteps(branch.steps, change) })),
        ...(step.otherwise ? { otherwise: mapSteps(step.otherwise, change) } : {}),
      });
    else if (step.type === 'forEach') result.push({ ...step, steps: mapSteps(step.steps, change) });
    else result.push(step);
  }
  return result;
}

export const TRIGGER_NODE = 'trigger';
export const stepNodeId = (stepId: string): string => `step:${stepId}`;

export function draftFromSpec(spec: FlowSpec): Draft {
  return { name: spec.name, trigger: spec.trigger, steps: spec.steps };
}

/**
 * The spec the API stores. No configuration chosen: the field is left out (built-in cards need none;
 * for the others the API says which step lacks one, and the editor shows it on that card).
 */
export function specFromDraft(draft: Draft): Record<string, unknown> {
  const trigger = draft.trigger;
  return {
    name: draft.name,
    ...(trigger
      ? {
          trigger: {
            card: trigger.card,
            ...(trigger.configurationId ? { configurationId: trigger.configurationId } : {}),
            input: trigger.input ?? {},
          },
        }
      : {}),
    steps: mapSteps(draft.steps, (step) =>
      isCardStep(step)
        ? ({
            id: step.id,
            ...(step.name ? { name: step.name } : {}),
            card: step.card,
            ...(step.configurationId ? { configurationId: step.configurationId } : {}),
            input: step.input,
            ...(step.condition ? { condition: step.condition } : {}),
          } as StepSpec)
        : step,
    ),
  };
}

/** An id usable in templates (`steps.<id>`), from the card key, unique in the flow. */
export function newStepId(draft: Draft, cardRef: string): string {
  const key = parseCardRef(cardRef)?.card ?? 'step';
  let base = key.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^[^a-zA-Z]+/, '');
  if (!base) base = 'step';
  base = base.slice(0, 34);
  const taken = new Set(allSteps(draft.steps).map((step) => step.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

export function insertStep(draft: Draft, index: number, cardRef: string): { draft: Draft; stepId: string } {
  const id = newStepId(draft, cardRef);
  const steps = [...draft.steps];
  const at = Math.max(0, Math.min(index, steps.length));
  steps.splice(at, 0, { id, card: cardRef, configurationId: '', input: {} });
  return { draft: { ...draft, steps }, stepId: id };
}

export function setTrigger(draft: Draft, cardRef: string): Draft {
  return { ...draft, trigger: { card: cardRef, configurationId: '', input: {} } };
}

export function moveStep(draft: Draft, from: number, to: number): Draft {
  if (from === to || from < 0 || from >= draft.steps.length) return draft;
  const steps = [...draft.steps];
  const [moved] = steps.splice(from, 1);
  steps.splice(Math.max(0, Math.min(to, steps.length)), 0, moved!);
  return { ...draft, steps };
}

export function removeNode(draft: Draft, nodeId: string): Draft {
  if (nodeId === TRIGGER_NODE) return { ...draft, trigger: null };
  return { ...draft, steps: mapSteps(draft.steps, (step) => (stepNodeId(step.id) === nodeId ? null : step)) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Changes a step; the same draft when nothing changed (a form re-announcing its value is no undo step). */
export function updateStep(draft: Draft, stepId: string, patch: Partial<StepSpec>): Draft {
  const step = findStep(draft, stepId)?.step;
  if (!step || !isCardStep(step)) return draft;
  if (Object.entries(patch).every(([key, value]) => same(step[key as keyof StepSpec], value))) return draft;
  return {
    ...draft,
    steps: mapSteps(draft.steps, (candidate) =>
      candidate.id === stepId ? ({ ...candidate, ...patch } as StepSpec) : candidate,
    ),
  };
}

export function updateTrigger(draft: Draft, patch: Partial<TriggerSpec>): Draft {
  const trigger = draft.trigger;
  if (
    !trigger ||
    Object.entries(patch).every(([key, value]) => same(trigger[key as keyof TriggerSpec], value))
  )
    return draft;
  return { ...draft, trigger: { ...draft.trigger, ...patch } };
}

/** A problem the API answered, placed on its card (node id) and field (input key path). */
export interface PlacedProblem {
  readonly nodeId: string | null;
  readonly field: string[];
  readonly message: string;
}

/** `/steps/1/input/message` → the second step's `message` field; `/trigger/configurationId` → trigger. */
export function placeProblem(draft: Draft, path: string, message: string): PlacedProblem {
  const parts = path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'spec') parts.shift();
  if (parts[0] === 'trigger') return { nodeId: TRIGGER_NODE, field: fieldOf(parts.slice(1)), message };
  if (parts[0] === 'steps' && parts[1] !== undefined) {
    // Nested steps: /steps/2/branches/0/steps/1/input/x, /steps/3/steps/0/…
    let list: readonly AnyStepSpec[] | undefined = draft.steps;
    let step: AnyStepSpec | undefined;
    let rest = parts.slice(1);
    while (list && rest.length) {
      step = list[Number(rest[0])];
      rest = rest.slice(1);
      if (!step) break;
      if (step.type === 'paths' && rest[0] === 'branches' && rest[2] === 'steps') {
        list = step.branches[Number(rest[1])]?.steps;
        rest = rest.slice(3);
      } else if (step.type === 'paths' && rest[0] === 'otherwise') {
        list = step.otherwise;
        rest = rest.slice(1);
      } else if (step.type === 'forEach' && rest[0] === 'steps') {
        list = step.steps;
        rest = rest.slice(1);
      } else break;
    }
    return { nodeId: step ? stepNodeId(step.id) : null, field: fieldOf(rest), message };
  }
  return { nodeId: null, field: parts, message };
}

function fieldOf(rest: string[]): string[] {
  return rest[0] === 'input' ? rest.slice(1) : rest;
}
