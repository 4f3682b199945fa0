import type { ErrorObject, ValidateFunction } from 'ajv';
import jsonata from 'jsonata';
import { flowSchema, type FlowSpec } from '@flowcard/schemas';
import { formatErrorMessage, type ErrorCodeSpec } from '../errors/error-code';
import { flowCodes } from '../errors/codes/flow-codes';
import type { LoadedCard } from '../registry/loaded-connector';
import { compileSchemaDefaults } from '../executor/schema-defaults';
import { compileTemplate } from '../templates/compile-template';
import { findTemplateReferences } from '../templates/template-references';
import { createAjv } from '../validation/create-ajv';
import { allSteps, isForEachStep, isPathsStep, type AnyStepSpec } from './flow-steps';
import { findTemplateSyntaxProblems, isTemplatePath } from './template-syntax';

/** One thing wrong with a flow: a registered code, where (JSON pointer), and a message saying what to fix. */
export interface FlowProblem {
  readonly code: string;
  /** JSON pointer into the flow, e.g. /steps/1/input/message. */
  readonly path: string;
  readonly message: string;
}

/** The card lookup validation needs (ConnectorRegistry satisfies it). */
export interface FlowCardLookup {
  card(ref: string): LoadedCard | undefined;
  /** Why card(ref) is undefined (": connector "x" is loaded in major 2 only"); ConnectorRegistry has it. */
  missingCardReason?(ref: string): string;
}

/**
 * Whether the saving user may use a configuration with a card's connector: true, or the reason
 * why not (e.g. "does not exist", "is not shared with you", "belongs to connector x").
 */
export type CanUseConfiguration = (configurationId: string, card: LoadedCard) => Promise<true | string>;

let validateSchema: ValidateFunction | undefined;

/**
 * Checks a flow before it is saved: the flow schema, unique step ids, cards loaded at that major
 * and of the right kind, configurations usable by the saver, templates that only read the trigger
 * or earlier steps (and known output fields where the card's output schema lists them), literal
 * inputs that satisfy the card's input schema, and conditions that compile. Empty means valid.
 */
export async function validateFlow(
  spec: unknown,
  cards: FlowCardLookup,
  canUseConfiguration: CanUseConfiguration,
): Promise<FlowProblem[]> {
  validateSchema ??= createAjv().compile(flowSchema);
  // "must match then/else" only repeats that the step's own errors follow: left out.
  if (!validateSchema(spec))
    return (validateSchema.errors ?? []).filter((error) => error.keyword !== 'if').map(schemaProblem);
  const flow = spec as FlowSpec;
  const problems: FlowProblem[] = [];

  const trigger = cards.card(flow.trigger.card);
  if (!trigger) problems.push(unknownCard('/trigger/card', flow.trigger.card, cards));
  else {
    if (trigger.spec.kind !== 'trigger')
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_CARD_KIND, '/trigger/card', {
          card: flow.trigger.card,
          actual: trigger.spec.kind,
          expected: 'trigger',
        }),
      );
    await checkConfiguration(
      problems,
      '/trigger/configurationId',
      flow.trigger.configurationId,
      trigger,
      canUseConfiguration,
    );
    checkLiteralInput(problems, '/trigger/input', flow.trigger.input ?? {}, trigger);
    checkTemplateSyntax(problems, '/trigger/input', flow.trigger.input ?? {});
    for (const reference of findTemplateReferences(flow.trigger.input ?? {}).filter(isTemplatePath)) {
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, '/trigger/input', {
          template: `{{${reference}}}`,
          reason: 'is not allowed: the trigger input is literal',
        }),
      );
    }
  }

  const walk: StepWalk = {
    problems,
    cards,
    canUseConfiguration,
    trigger: trigger ? { schema: trigger.spec.output as Schema, ref: trigger.ref } : undefined,
    seen: new Set(),
    order: new Map(allSteps(flow.steps).map((step, position) => [step.id, position])),
  };
  await checkSteps(walk, flow.steps, '/steps', new Map(), []);
  return problems;
}

type Schema = Record<string, unknown> | undefined;

/** What a template may read of an earlier step: its output schema (undefined = open) and a label. */
interface Readable {
  schema: Schema;
  ref: string;
}

interface StepWalk {
  problems: FlowProblem[];
  cards: FlowCardLookup;
  canUseConfiguration: CanUseConfiguration;
  trigger: Readable | undefined;
  seen: Set<string>;
  /** Reading order of every step id (to tell "later" from "in another branch or loop"). */
  order: Map<string, number>;
}

const PATHS_OUTPUT: Readable = {
  ref: 'a paths step',
  schema: {
    type: 'object',
    properties: { branches: { type: 'array', items: { type: 'string' } }, otherwise: { type: 'boolean' } },
    additionalProperties: false,
  },
};
const WHOLE_TEMPLATE = /^\s*\{\{[^{}]*\}\}\s*$/;

/**
 * Checks a list of steps. `visible` holds the steps certain to have run before the list starts
 * (on every path that reaches it): earlier steps of the enclosing lists, never steps of another
 * branch, of a loop body from outside it, or of a branch from after its paths step. `loops` are
 * the forEach ids around the list, outermost first ({{item}}, {{index}}, {{loops.<id>.item}}).
 */
async function checkSteps(
  walk: StepWalk,
  list: readonly AnyStepSpec[],
  base: string,
  visible: ReadonlyMap<string, Readable | undefined>,
  loops: readonly string[],
): Promise<void> {
  const scope = new Map(visible);
  const { problems } = walk;
  for (const [index, step] of list.entries()) {
    const path = `${base}/${index}`;
    if (walk.seen.has(step.id))
      problems.push(problem(flowCodes.FLOWCARD_ERR_FLOW_STEP_DUPLICATE, `${path}/id`, { stepId: step.id }));
    walk.seen.add(step.id);
    if (isPathsStep(step)) {
      for (const [branchIndex, branch] of step.branches.entries()) {
        checkCondition(problems, `${path}/branches/${branchIndex}/condition`, branch.condition);
        await checkSteps(walk, branch.steps, `${path}/branches/${branchIndex}/steps`, scope, loops);
      }
      if (step.otherwise) await checkSteps(walk, step.otherwise, `${path}/otherwise`, scope, loops);
      if (!scope.has(step.id)) scope.set(step.id, PATHS_OUTPUT);
      continue;
    }
    if (isForEachStep(step)) {
      checkTemplateSyntax(problems, `${path}/items`, step.items);
      if (!WHOLE_TEMPLATE.test(step.items))
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_INPUT_INVALID, `${path}/items`, {
            reason: 'must be one template naming a list, e.g. {{trigger.output.items}}',
          }),
        );
      checkReferences(walk, `${path}/items`, step.id, step.items, scope, loops);
      await checkSteps(walk, step.steps, `${path}/steps`, scope, [...loops, step.id]);
      if (!scope.has(step.id))
        scope.set(step.id, { schema: { type: 'array' }, ref: `forEach step ${step.id}` });
      continue;
    }
    const card = walk.cards.card(step.card);
    if (!card) problems.push(unknownCard(`${path}/card`, step.card, walk.cards));
    else {
      if (card.spec.kind !== 'action')
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_CARD_KIND, `${path}/card`, {
            card: step.card,
            actual: card.spec.kind,
            expected: 'action',
          }),
        );
      await checkConfiguration(
        problems,
        `${path}/configurationId`,
        step.configurationId,
        card,
        walk.canUseConfiguration,
      );
      checkLiteralInput(problems, `${path}/input`, step.input, card);
    }
    checkTemplateSyntax(problems, `${path}/input`, step.input);
    checkReferences(walk, `${path}/input`, step.id, step.input, scope, loops);
    if (step.condition !== undefined) checkCondition(problems, `${path}/condition`, step.condition);
    if (!scope.has(step.id))
      scope.set(step.id, card ? { schema: card.spec.output as Schema, ref: card.ref } : undefined);
  }
}

function checkCondition(problems: FlowProblem[], path: string, condition: string): void {
  try {
    jsonata(condition);
  } catch (error) {
    problems.push(
      problem(flowCodes.FLOWCARD_ERR_FLOW_CONDITION_INVALID, path, { reason: (error as Error).message }),
    );
  }
}

/**
 * Whether a card can only run with a saved configuration: its kind sends credentials or has
 * required fields. Cards of kinds without either (core/filter, core/http-request without
 * credentials…) run with an empty one when the step names none.
 */
export function needsConfiguration(card: LoadedCard): boolean {
  const kind = card.configurationKind;
  return kind.auth.kind !== 'none' || (kind.schema.required ?? []).length > 0;
}

/** One line per problem, for FLOWCARD_ERR_FLOW_INVALID and logs. */
export function formatFlowProblems(problems: readonly FlowProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}

function problem(spec: ErrorCodeSpec, path: string, params: Record<string, unknown>): FlowProblem {
  return { code: spec.code, path, message: formatErrorMessage(spec.message, { path, ...params }) };
}

function schemaProblem(error: ErrorObject): FlowProblem {
  const path = error.instancePath || '/';
  return problem(flowCodes.FLOWCARD_ERR_FLOW_SCHEMA, path, { reason: error.message ?? 'is invalid' });
}

function unknownCard(path: string, ref: string, cards: FlowCardLookup): FlowProblem {
  // Naming the majors that are loaded tells the saver which pin would work.
  const why = cards.missingCardReason?.(ref) ?? '';
  const reason = `${why === '' ? ':' : `${why};`} install the connector at that major, or pick another card`;
  return problem(flowCodes.FLOWCARD_ERR_FLOW_CARD_UNKNOWN, path, { card: ref, reason });
}

async function checkConfiguration(
  problems: FlowProblem[],
  path: string,
  configurationId: string | undefined,
  card: LoadedCard,
  canUse: CanUseConfiguration,
): Promise<void> {
  if (configurationId === undefined) {
    if (needsConfiguration(card))
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_CONFIGURATION_REQUIRED, path, {
          card: card.ref,
          kind: card.configurationKind.title,
        }),
      );
    return;
  }
  const verdict = await canUse(configurationId, card);
  if (verdict !== true)
    problems.push(
      problem(flowCodes.FLOWCARD_ERR_FLOW_CONFIGURATION_UNUSABLE, path, { configurationId, reason: verdict }),
    );
}

function checkTemplateSyntax(problems: FlowProblem[], path: string, input: unknown): void {
  for (const found of findTemplateSyntaxProblems(input, path))
    problems.push(
      problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_SYNTAX, found.pointer, {
        template: found.template,
        reason: found.reason,
      }),
    );
}

/** How a value of an input mapping is filled: literally, by a template that is the whole value, or by text around templates. */
type Filling = 'whole' | 'text';

/**
 * Validates the mapping against the card's input schema as far as it is known before the run.
 * Templated values are replaced by stand-ins and errors about them are left to run time, except
 * what is certain: a property the schema forbids (its name is literal), a required one missing, and a
 * value built from text around a template (always a string) where the schema wants another type.
 */
function checkLiteralInput(problems: FlowProblem[], path: string, input: unknown, card: LoadedCard): void {
  const mapping = (input ?? {}) as Record<string, unknown>;
  const templated = new Map<string, Filling>();
  // Defaults are applied as the executor does, so a required input with a default is not missing.
  const probe = compileSchemaDefaults(card.spec.input)(
    withStandIns(mapping, '', templated) as Record<string, unknown>,
  );
  if (card.validateInput(probe)) return;
  for (const error of card.validateInput.errors ?? []) {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') {
      const name = String(params.additionalProperty);
      const declared = error.instancePath === '' ? Object.keys(card.spec.input.properties ?? {}) : [];
      const allowed = declared.length > 0 ? `; its inputs are ${declared.join(', ')}` : '';
      problems.push(
        problem(
          flowCodes.FLOWCARD_ERR_FLOW_INPUT_INVALID,
          `${path}${error.instancePath}/${escapeKey(name)}`,
          {
            reason: `card ${card.ref} has no input "${name}"${allowed}`,
          },
        ),
      );
      continue;
    }
    const filling = templated.get(error.instancePath);
    if (filling === 'text' && error.keyword === 'type') {
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_INPUT_INVALID, `${path}${error.instancePath}`, {
          reason: `${error.message ?? 'has the wrong type'} (card ${card.ref}), but text around a template always makes a string; map the template alone, e.g. "{{trigger.output.x}}", to keep its type`,
        }),
      );
      continue;
    }
    // A missing property stays missing whatever the templates render.
    if (error.keyword !== 'required' && touchesTemplate(templated, error.instancePath)) continue;
    problems.push(
      problem(flowCodes.FLOWCARD_ERR_FLOW_INPUT_INVALID, `${path}${error.instancePath}`, {
        reason: `${error.message ?? 'is invalid'} (card ${card.ref})`,
      }),
    );
  }
}

/** A copy of the mapping with each templated string replaced (null for a whole-value template, text otherwise), noting where. */
function withStandIns(value: unknown, pointer: string, templated: Map<string, Filling>): unknown {
  if (typeof value === 'string') {
    const template = compileTemplate(value);
    if (template.constant) return value;
    const whole = /^\s*\{\{[^{}]*\}\}\s*$/.test(value);
    templated.set(pointer, whole ? 'whole' : 'text');
    return whole ? null : 'templated';
  }
  if (Array.isArray(value))
    return value.map((item, index) => withStandIns(item, `${pointer}/${index}`, templated));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = withStandIns(item, `${pointer}/${escapeKey(key)}`, templated);
    return out;
  }
  return value;
}

/** True when the value at the pointer is templated, lies inside a templated value, or holds one. */
function touchesTemplate(templated: ReadonlyMap<string, Filling>, pointer: string): boolean {
  for (const at of templated.keys())
    if (at === pointer || pointer.startsWith(`${at}/`) || at.startsWith(`${pointer}/`)) return true;
  return false;
}

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Templates may read trigger.output.*, steps.<id>.output.* of steps certain to have run before
 * (only fields the output schema knows when it lists them), and inside a forEach {{item}},
 * {{index}} and {{loops.<enclosing id>.item|index}}.
 */
function checkReferences(
  walk: StepWalk,
  path: string,
  stepId: string,
  input: unknown,
  visible: ReadonlyMap<string, Readable | undefined>,
  loops: readonly string[],
): void {
  const { problems } = walk;
  const refuse = (template: string, reason: string): void => {
    problems.push(problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, { template, reason }));
  };
  for (const reference of findTemplateReferences(input)) {
    // A malformed one was reported by checkTemplateSyntax.
    if (!isTemplatePath(reference)) continue;
    const segments = reference
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    const template = `{{${reference}}}`;
    let readable: Readable | undefined;
    let fields: string[];
    if (segments[0] === 'trigger') {
      if (segments[1] !== 'output') {
        refuse(template, 'must read trigger.output.<field>');
        continue;
      }
      readable = walk.trigger;
      fields = segments.slice(2);
    } else if (segments[0] === 'steps') {
      const read = segments[1] ?? '';
      if (!visible.has(read)) {
        const readAt = walk.order.get(read);
        const hereAt = walk.order.get(stepId) ?? 0;
        refuse(
          template,
          readAt !== undefined && readAt < hereAt && read !== stepId
            ? `names step "${read}", which is not certain to have run before this one: it runs only on another branch or inside a loop this step is not part of`
            : `names step "${read}", which does not run before this one`,
        );
        continue;
      }
      if (segments[2] !== 'output') {
        refuse(template, `must read steps.${read}.output.<field>`);
        continue;
      }
      readable = visible.get(read);
      fields = segments.slice(3);
    } else if (segments[0] === 'item' || segments[0] === 'index' || segments[0] === 'loops') {
      if (loops.length === 0) {
        refuse(template, 'reads a loop item, but this step is not inside a forEach step');
        continue;
      }
      if (
        segments[0] === 'loops' &&
        (!loops.includes(segments[1] ?? '') || !['item', 'index'].includes(segments[2] ?? ''))
      ) {
        refuse(
          template,
          `must read loops.<id>.item or loops.<id>.index of a forEach step around this one (${loops.join(', ')})`,
        );
      }
      continue;
    } else {
      refuse(
        template,
        loops.length > 0
          ? 'may only read trigger.output, steps.<id>.output, item, index or loops.<id>'
          : 'may only read trigger.output or steps.<id>.output',
      );
      continue;
    }
    const unknown = readable ? unknownField(readable.schema, fields) : undefined;
    if (unknown) refuse(template, `reads "${unknown}", which the output of ${readable?.ref} does not have`);
  }
}

/** The first field not declared where the schema lists its properties and allows no others; undefined when all are known or the schema is open. */
function unknownField(
  schema: Record<string, unknown> | undefined,
  fields: readonly string[],
): string | undefined {
  let current = schema;
  for (const field of fields) {
    if (!current || typeof current !== 'object') return undefined;
    if (current.type === 'array' || /^\d+$/.test(field)) {
      current = current.items as Record<string, unknown> | undefined;
      continue;
    }
    const properties = current.properties as Record<string, Record<string, unknown>> | undefined;
    if (properties && field in properties) {
      current = properties[field];
      continue;
    }
    const additional = current.additionalProperties;
    if (additional && typeof additional === 'object') {
      current = additional as Record<string, unknown>;
      continue;
    }
    // Only a schema that lists properties says which fields exist; an open one cannot be checked.
    if (properties && additional !== true) return field;
    return undefined;
  }
  return undefined;
}
