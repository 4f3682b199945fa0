import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CardExecutor,
  ConnectorRegistry,
  type LoadedCard,
  type ResolvedConfiguration,
} from '@flowcard/engine';

interface CardRunOptions {
  config?: string;
  input?: string;
  connectors?: string;
}

/**
 * `flowcard card run <connector>/<card> --config <file.json> --input '<json>' [--connectors <dir>]`:
 * executes one card directly. Prints the output as pretty JSON and exits 0, or prints
 * `{ "error": { signal, code, message, … } }` to stderr and exits 1.
 *
 * Config file: `{ "values": {…}, "secrets": {…} }`, or a flat object whose fields marked
 * `x-secret` in the configuration schema are taken as secrets and the rest as values. Defaults of
 * the configuration schema fill missing values.
 */
export function register(program: Command): void {
  const card =
    program.commands.find((command) => command.name() === 'card') ??
    program.command('card').description('Work with cards');
  card
    .command('run <ref>')
    .description('Execute one card (connector/card or connector/card@major) and print its output')
    .requiredOption('--config <file>', 'configuration JSON file: {"values":{},"secrets":{}} or flat fields')
    .option('--input <json>', 'card input as JSON', '{}')
    .option('--connectors <dir>', 'connectors folder (default: nearest connectors/ upward from here)')
    .action(async (ref: string, options: CardRunOptions) => {
      process.exitCode = await runCard(ref, options);
    });
}

async function runCard(ref: string, options: CardRunOptions): Promise<number> {
  try {
    const directory = options.connectors
      ? resolve(options.connectors)
      : findConnectorsDirectory(process.cwd());
    if (!directory)
      return fail({
        code: 'FLOWCARD_ERR_CLI_CONNECTORS_NOT_FOUND',
        message: 'No connectors/ folder found upward from here; pass --connectors <dir>',
      });
    const registry = new ConnectorRegistry();
    await registry.loadFrom({ directories: [directory] });
    const loaded = registry.requireCard(ref);
    const configuration = readConfiguration(resolve(options.config ?? ''), loaded);
    const input = parseJson(options.input ?? '{}', '--input');
    const result = await new CardExecutor().execute({ card: loaded, configuration, input });
    process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`);
    return 0;
  } catch (error) {
    return fail(describe(error));
  }
}

function fail(error: Record<string, unknown>): number {
  process.stderr.write(`${JSON.stringify({ error }, null, 2)}\n`);
  return 1;
}

/** CardError and FlowcardError serialise themselves; anything else keeps its message only. */
function describe(error: unknown): Record<string, unknown> {
  if (
    error !== null &&
    typeof error === 'object' &&
    typeof (error as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return (error as { toJSON(): Record<string, unknown> }).toJSON();
  }
  const value = error as { code?: unknown; message?: unknown; category?: unknown } | undefined;
  return {
    ...(typeof value?.code === 'string' ? { code: value.code } : {}),
    ...(typeof value?.category === 'string' ? { category: value.category } : {}),
    message: typeof value?.message === 'string' ? value.message : String(error),
  };
}

function findConnectorsDirectory(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'connectors');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function readConfiguration(file: string, card: LoadedCard): ResolvedConfiguration {
  if (!existsSync(file)) throw new Error(`Configuration file ${file} does not exist`);
  const raw = parseJson(readFileSync(file, 'utf8'), file);
  const properties = card.configurationKind.schema.properties as Record<
    string,
    { 'x-secret'?: boolean; default?: unknown }
  >;
  let values: Record<string, unknown>;
  let secrets: Record<string, string>;
  if (isObject(raw.values) || isObject(raw.secrets)) {
    values = { ...(raw.values as Record<string, unknown> | undefined) };
    secrets = Object.fromEntries(
      Object.entries((raw.secrets ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
  } else {
    values = {};
    secrets = {};
    for (const [field, value] of Object.entries(raw)) {
      if (properties[field]?.['x-secret'] === true) secrets[field] = String(value);
      else values[field] = value;
    }
  }
  for (const [field, property] of Object.entries(properties)) {
    if (values[field] === undefined && secrets[field] === undefined && property.default !== undefined)
      values[field] = property.default;
  }
  return { ...(typeof raw.id === 'string' ? { id: raw.id } : {}), values, secrets };
}

function parseJson(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new Error(`${where} must be a JSON object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
