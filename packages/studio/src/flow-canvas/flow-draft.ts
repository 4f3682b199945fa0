import { parseCardRef, type FlowSpec, type StepSpec, type TriggerSpec } from './flow-types';

/**
 * What the editor edits: a flow that may be incomplete (no trigger yet, a step without a
 * configuration). The API validates the whole flow on save; the editor never blocks a draft.
 * Steps are a list today; paths and for-each groups (the flow model's next shape) are drawn as
 * columns and framed groups by the layout once the model carries them.
 */
export interface Draft {
  readonly name: string;
  readonly trigger: TriggerSpec | null;
  readonly steps: readonly StepSpec[];
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
    steps: draft.steps.map((step) => ({
      id: step.id,
      ...(step.name ? { name: step.name } : {}),
      card: step.card,
      ...(step.configurationId ? { configurationId: step.configurationId } : {}),
      input: step.input,
      ...(step.condition ? { condition: step.condition } : {}),
    })),
  };
}

/** An id usable in templates (`steps.<id>`), from the card key, unique in the flow. */
export function newStepId(draft: Draft, cardRef: string): string {
  const key = parseCardRef(cardRef)?.card ?? 'step';
  let base = key.replace(/[^a-zA-Z0-9]+/g, '_').replace(/^[^a-zA-Z]+/, '');
  if (!base) base = 'step';
  base = base.slice(0, 34);
  const taken = new Set(draft.steps.map((step) => step.id));
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
  return { ...draft, steps: draft.steps.filter((step) => stepNodeId(step.id) !== nodeId) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Changes a step; the same draft when nothing changed (a form re-announcing its value is no undo step). */
export function updateStep(draft: Draft, stepId: string, patch: Partial<StepSpec>): Draft {
  const step = draft.steps.find((candidate) => candidate.id === stepId);
  if (!step || Object.entries(patch).every(([key, value]) => same(step[key as keyof StepSpec], value)))
    return draft;
  return {
    ...draft,
    steps: draft.steps.map((step) => (step.id === stepId ? { ...step, ...patch } : step)),
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
    const step = draft.steps[Number(parts[1])];
    return { nodeId: step ? stepNodeId(step.id) : null, field: fieldOf(parts.slice(2)), message };
  }
  return { nodeId: null, field: parts, message };
}

function fieldOf(rest: string[]): string[] {
  return rest[0] === 'input' ? rest.slice(1) : rest;
}
