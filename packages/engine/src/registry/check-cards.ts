import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { checkCardTemplates } from './check-card-templates';
import type {
  CompiledCardSchemas,
  ConnectorCheckContext,
  ParsedCard,
  ResolvedKind,
} from './connector-check-context';
import { jsonPointer } from './json-pointer';

/**
 * The checks of cards that their JSON Schema cannot express. Runs over every card that matched the
 * card schema and fills ctx.compiled with each card's input/output validators.
 */
export function checkCards(ctx: ConnectorCheckContext): void {
  const firstByKey = new Map<string, ParsedCard>();
  for (const card of ctx.cards) {
    checkKey(ctx, card, firstByKey);
    const configuration = resolveKind(ctx, card);
    if (configuration) ctx.kinds.set(card, configuration);
    const compiled = compileSchemas(ctx, card);
    ctx.compiled.set(card, compiled);
    checkCardTemplates(ctx, card, configuration);
    checkOptionsReferences(ctx, card);
    checkOptionsOutput(ctx, card);
    checkExamples(ctx, card, compiled);
    checkHandlers(ctx, card);
  }
}

/** The configuration kind a card uses; reports a kind the manifest lacks or an ambiguous omission. */
function resolveKind(ctx: ConnectorCheckContext, card: ParsedCard): ResolvedKind | undefined {
  const kinds = ctx.manifest?.configurations;
  if (!kinds) return undefined;
  const declared = Object.keys(kinds);
  const named = card.spec.configuration;
  if (named !== undefined) {
    if (kinds[named]) return { key: named, kind: kinds[named] };
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_CONFIGURATION_UNKNOWN,
      card.file,
      '/configuration',
      { configuration: named },
      `Use one of: ${declared.join(', ')}`,
    );
    return undefined;
  }
  if (declared.length === 1) return { key: declared[0], kind: kinds[declared[0]] };
  ctx.report(
    manifestCodes.FLOWCARD_ERR_CARD_CONFIGURATION_MISSING,
    card.file,
    '',
    { count: `${declared.length} (${declared.join(', ')})` },
    `Add "configuration" naming one of: ${declared.join(', ')}`,
  );
  return undefined;
}

function checkKey(ctx: ConnectorCheckContext, card: ParsedCard, firstByKey: Map<string, ParsedCard>): void {
  const key = card.spec.key;
  if (key !== card.fileKey) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_KEY_MISMATCH,
      card.file,
      '/key',
      { key, fileName: card.fileKey },
      `Rename the file to cards/${key}.json or set "key" to "${card.fileKey}"`,
    );
  }
  const first = firstByKey.get(key);
  if (first) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_DUPLICATE_KEY,
      card.file,
      '/key',
      { key, other: first.file },
      'Give every card of a connector its own key',
    );
  } else firstByKey.set(key, card);
}

function compileSchemas(ctx: ConnectorCheckContext, card: ParsedCard): CompiledCardSchemas {
  return {
    input: compileOne(ctx, card, 'input'),
    output: compileOne(ctx, card, 'output'),
  };
}

function compileOne(
  ctx: ConnectorCheckContext,
  card: ParsedCard,
  which: 'input' | 'output',
): ValidateFunction | undefined {
  try {
    return ctx.ajv.compile(card.spec[which]);
  } catch (error) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_SCHEMA_UNCOMPILABLE,
      card.file,
      `/${which}`,
      { which, reason: (error as Error).message },
      'Fix the JSON Schema (draft-07, strict: unknown keywords and formats are refused; Flowcard adds x-secret, x-options, x-order, x-multiline)',
    );
    return undefined;
  }
}

/** x-options may sit on any property of the input schema, however deep. */
function checkOptionsReferences(ctx: ConnectorCheckContext, card: ParsedCard): void {
  const visit = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((item, index) => visit(item, jsonPointer(pointer, index)));
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-options') checkOptionsReference(ctx, card, value, jsonPointer(pointer, key));
      else visit(value, jsonPointer(pointer, key));
    }
  };
  visit(card.spec.input, '/input');
}

function checkOptionsReference(
  ctx: ConnectorCheckContext,
  card: ParsedCard,
  value: unknown,
  pointer: string,
): void {
  const target = typeof value === 'string' ? value : (value as { card?: unknown } | null)?.card;
  const hint =
    'Name a card of this connector that lists choices and declares "options": { "label": …, "value": … }';
  if (typeof target !== 'string') {
    const report = { card: JSON.stringify(value), reason: 'which is not a card key' };
    ctx.report(manifestCodes.FLOWCARD_ERR_CARD_OPTIONS_REFERENCE, card.file, pointer, report, hint);
    return;
  }
  const options = ctx.card(target);
  if (!options && ctx.knownKeys.has(target)) return; // that card is broken and reported on its own
  const reason = !options
    ? 'which does not exist in this connector'
    : !options.spec.options
      ? 'which has no "options" section'
      : undefined;
  if (reason)
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_OPTIONS_REFERENCE,
      card.file,
      pointer,
      { card: target, reason },
      hint,
    );
}

function checkOptionsOutput(ctx: ConnectorCheckContext, card: ParsedCard): void {
  if (!card.spec.options) return;
  const type = card.spec.output.type;
  if (type === 'array') return;
  ctx.report(
    manifestCodes.FLOWCARD_ERR_CARD_OPTIONS_OUTPUT,
    card.file,
    type === undefined ? '/output' : '/output/type',
    { type: type === undefined ? 'none' : JSON.stringify(type) },
    'Set the output "type" to "array" and describe one choice under "items"; use request.output.path to select the list',
  );
}

function checkExamples(ctx: ConnectorCheckContext, card: ParsedCard, compiled: CompiledCardSchemas): void {
  (card.spec.examples ?? []).forEach((example, index) => {
    const base = jsonPointer('/examples', index);
    if (compiled.input && !compiled.input(example.input)) {
      reportExample(ctx, card, 'input', `${base}/input`, compiled.input.errors);
    }
    if (compiled.output && 'output' in example && !compiled.output(example.output)) {
      reportExample(ctx, card, 'output', `${base}/output`, compiled.output.errors);
    }
  });
}

function reportExample(
  ctx: ConnectorCheckContext,
  card: ParsedCard,
  which: 'input' | 'output',
  pointer: string,
  errors: ErrorObject[] | null | undefined,
): void {
  for (const error of errors ?? []) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_EXAMPLE_INVALID,
      card.file,
      pointer + error.instancePath,
      { which, reason: error.message ?? error.keyword },
      `Correct the example, or the ${which} schema if the example shows what the service really ${which === 'input' ? 'accepts' : 'returns'}`,
    );
  }
}

/** A card's handler and a polling trigger's handler must exist beside connector.json. */
function checkHandlers(ctx: ConnectorCheckContext, card: ParsedCard): void {
  const handlers: Array<[string, string | undefined, string]> = [
    ['/handler', card.spec.handler, 'defineHandler(async (ctx, input) => output) from @flowcard/sdk'],
    [
      '/trigger/polling/handler',
      card.spec.trigger?.polling?.handler,
      'async (ctx, { input, cursor }) => ({ items, cursor })',
    ],
  ];
  for (const [pointer, handler, shape] of handlers) {
    if (handler === undefined || existsSync(join(ctx.root, handler))) continue;
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_HANDLER_MISSING,
      card.file,
      pointer,
      { handler },
      `Create ${handler} (default export: ${shape}), or correct the path`,
    );
  }
}
