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
  if (!validateSchema(spec)) return (validateSchema.errors ?? []).map(schemaProblem);
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

  const outputs = new Map<string, LoadedCard | undefined>();
  for (const [index, step] of flow.steps.entries()) {
    const base = `/steps/${index}`;
    if (outputs.has(step.id))
      problems.push(problem(flowCodes.FLOWCARD_ERR_FLOW_STEP_DUPLICATE, `${base}/id`, { stepId: step.id }));
    const card = cards.card(step.card);
    if (!card) problems.push(unknownCard(`${base}/card`, step.card, cards));
    else {
      if (card.spec.kind !== 'action')
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_CARD_KIND, `${base}/card`, {
            card: step.card,
            actual: card.spec.kind,
            expected: 'action',
          }),
        );
      await checkConfiguration(
        problems,
        `${base}/configurationId`,
        step.configurationId,
        card,
        canUseConfiguration,
      );
      checkLiteralInput(problems, `${base}/input`, step.input, card);
    }
    checkTemplateSyntax(problems, `${base}/input`, step.input);
    checkReferences(problems, `${base}/input`, step.input, trigger, outputs);
    if (step.condition !== undefined) {
      try {
        jsonata(step.condition);
      } catch (error) {
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_CONDITION_INVALID, `${base}/condition`, {
            reason: (error as Error).message,
          }),
        );
      }
    }
    if (!outputs.has(step.id)) outputs.set(step.id, card);
  }
  return problems;
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

/** Templates may read trigger.output.* and steps.<earlier>.output.*, and only fields the output schema knows when it lists them. */
function checkReferences(
  problems: FlowProblem[],
  path: string,
  input: unknown,
  trigger: LoadedCard | undefined,
  earlier: ReadonlyMap<string, LoadedCard | undefined>,
): void {
  for (const reference of findTemplateReferences(input)) {
    // A malformed one was reported by checkTemplateSyntax.
    if (!isTemplatePath(reference)) continue;
    const segments = reference
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    const template = `{{${reference}}}`;
    let card: LoadedCard | undefined;
    let fields: string[];
    if (segments[0] === 'trigger') {
      if (segments[1] !== 'output') {
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, {
            template,
            reason: 'must read trigger.output.<field>',
          }),
        );
        continue;
      }
      card = trigger;
      fields = segments.slice(2);
    } else if (segments[0] === 'steps') {
      const stepId = segments[1];
      if (!stepId || !earlier.has(stepId)) {
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, {
            template,
            reason: `names step "${stepId ?? ''}", which does not run before this one`,
          }),
        );
        continue;
      }
      if (segments[2] !== 'output') {
        problems.push(
          problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, {
            template,
            reason: `must read steps.${stepId}.output.<field>`,
          }),
        );
        continue;
      }
      card = earlier.get(stepId);
      fields = segments.slice(3);
    } else {
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, {
          template,
          reason: 'may only read trigger.output or steps.<id>.output',
        }),
      );
      continue;
    }
    const unknown = card ? unknownField(card.spec.output as Record<string, unknown>, fields) : undefined;
    if (unknown)
      problems.push(
        problem(flowCodes.FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE, path, {
          template,
          reason: `reads "${unknown}", which the output of ${card?.ref} does not have`,
        }),
      );
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
