import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CardExecutor,
  ConnectorHttpClient,
  formatManifestProblem,
  loadConnector,
  runCardExamples,
  type CardExampleOutcome,
  type LoadedCard,
  type ResolvedConfiguration,
} from '@flowcard/engine';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';

interface TestOptions {
  baseUrl?: string;
  config?: string;
}

/** Where a connector keeps its `connector test` configuration, used when --config is not given. */
const DEFAULT_CONFIG_FILE = join('test', 'connector-test.config.json');

interface RawConfiguration {
  values?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}

/**
 * `flowcard connector test <dir> [--base-url <url>] [--config <file>]`: runs every card's examples
 * against the Meta emulator (started in this process) or the service at --base-url, and checks
 * that each output validates against the card's output schema (the shape, not the values). One
 * line per example, then `N passed, N failed, N skipped`; exit 1 when any example fails. The
 * emulator is reset to its seed data before each example, so examples may name seed ids.
 *
 * Configuration: --config, else `<dir>/test/connector-test.config.json`, else derived (schema
 * defaults; non-secret *Url fields → the base URL; the auth token field → the emulator's
 * fixture user token). Strings in the file may use {{baseUrl}} and {{emulator.<path>}}
 * (e.g. {{emulator.fixtures.workplace.adminToken}}). The file holds `{values, secrets}` for every
 * kind, or one such object per configuration kind: `{"default": {…}, "scim": {…}}`.
 *
 * `"now": "<ISO date-time>"` in the file pins the time the examples run at: the emulator's clock is
 * set to it after each reset and the executor (so a handler's ctx.clock) reads the emulator's clock.
 * Examples that hold absolute dates (schedule a post for 2026-04-01) then stay valid forever instead
 * of rotting as the real date passes. It applies to the emulator only (ignored with --base-url).
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('test <dir>')
    .description(
      "Run every card's examples against the Meta emulator (or --base-url) and check the output shapes",
    )
    .option('--base-url <url>', 'run against this service instead of starting the Meta emulator')
    .option('--config <file>', `configuration JSON (default: <dir>/${DEFAULT_CONFIG_FILE} when present)`)
    .action(async (dir: string, options: TestOptions) => {
      process.exitCode = await testConnector(dir, options);
    });
}

async function testConnector(dir: string, options: TestOptions): Promise<number> {
  const folder = resolve(dir);
  const { connector, problems } = await loadConnector(folder);
  if (!connector) {
    for (const problem of problems) process.stderr.write(`${formatManifestProblem(problem)}\n`);
    process.stderr.write(
      `✗ ${dir}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; fix them first (npx flowcard connector validate ${dir})\n`,
    );
    return 1;
  }
  const emulator = options.baseUrl ? undefined : await startMetaEmulator();
  try {
    const baseUrl = options.baseUrl ?? (emulator as MetaEmulator).baseUrl;
    const scope = { baseUrl, ...(emulator ? { emulator: emulatorScope(emulator) } : {}) };
    const configFile = options.config
      ? resolve(options.config)
      : existsSync(join(folder, DEFAULT_CONFIG_FILE))
        ? join(folder, DEFAULT_CONFIG_FILE)
        : undefined;
    const { now: pinned, ...file } = configFile
      ? (fillTemplates(JSON.parse(readFileSync(configFile, 'utf8')), scope) as Record<string, unknown>)
      : {};
    const now = pinned === undefined ? undefined : pinnedTime(pinned);
    if (now === null) {
      process.stderr.write(
        `✗ ${options.config ?? DEFAULT_CONFIG_FILE}: "now" must be an ISO date-time, e.g. "2026-03-30T08:00:00Z"; got ${JSON.stringify(pinned)}\n`,
      );
      return 1;
    }
    const { name, version } = connector.manifest;
    process.stdout.write(
      `${name}@${version} against ${emulator ? `the Meta emulator at ${baseUrl}` : baseUrl}` +
        `${configFile ? ` with ${options.config ?? DEFAULT_CONFIG_FILE}` : ''}` +
        `${now && emulator ? ` at ${now.toISOString()}` : ''}\n`,
    );
    if (now && !emulator)
      process.stdout.write(
        '  note: "now" in the config pins the emulator\'s clock only; ignored with --base-url\n',
      );
    const executor = new CardExecutor({
      httpClient: new ConnectorHttpClient({ keepAlive: false }),
      // Handlers that check times (schedule-post) must see the same "now" as the emulator they call.
      ...(emulator ? { clock: { now: () => emulator.control.now() } } : {}),
    });
    const outcomes = await runCardExamples(connector, {
      executor,
      configurationFor: (card) => configurationFor(card, configFile ? file : undefined, baseUrl, emulator),
      // Examples name seed ids (a post, a member): each one starts from the seed, whatever the one before did.
      beforeExample: () => {
        emulator?.reset();
        if (now) emulator?.control.setNow(now);
      },
      onOutcome: (outcome) => process.stdout.write(`${formatOutcome(outcome)}\n`),
    });
    const count = (status: CardExampleOutcome['status']): number =>
      outcomes.filter((outcome) => outcome.status === status).length;
    process.stdout.write(
      `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`,
    );
    return count('failed') > 0 ? 1 : 0;
  } finally {
    await emulator?.close();
  }
}

/** The pinned time of a config file's "now", or null when it is not an ISO date-time. */
function pinnedTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

function formatOutcome(outcome: CardExampleOutcome): string {
  const name = `${outcome.card}${outcome.example === undefined ? '' : ` #${outcome.example}`}${outcome.title ? ` (${outcome.title})` : ''}`;
  if (outcome.status === 'skipped') return `  – ${name}: skipped: ${outcome.detail}`;
  if (outcome.status === 'passed') return `  ✓ ${name}: ${outcome.detail}, ${outcome.durationMs} ms`;
  return `  ✗ ${name}: ${outcome.code ? `${outcome.code}: ` : ''}${outcome.detail}`;
}

function emulatorScope(emulator: MetaEmulator): Record<string, unknown> {
  return {
    baseUrl: emulator.baseUrl,
    graphUrl: emulator.graphUrl,
    scimUrl: emulator.scimUrl,
    app: emulator.app,
    fixtures: emulator.fixtures,
  };
}

function configurationFor(
  card: LoadedCard,
  file: Record<string, unknown> | undefined,
  baseUrl: string,
  emulator: MetaEmulator | undefined,
): ResolvedConfiguration {
  const kind = card.configurationKind;
  const fields = (kind.schema.properties ?? {}) as Record<
    string,
    { type?: string; default?: unknown; 'x-secret'?: boolean }
  >;
  const values: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [field, schema] of Object.entries(fields))
    if (schema.default !== undefined && schema['x-secret'] !== true) values[field] = schema.default;

  const chosen = file
    ? ((isObject(file[card.configurationKey]) ? file[card.configurationKey] : file) as RawConfiguration)
    : undefined;
  if (chosen) {
    Object.assign(values, chosen.values ?? {});
    for (const [field, value] of Object.entries(chosen.secrets ?? {})) secrets[field] = String(value);
    return { values, secrets };
  }
  // No file: point every URL field at the target and hand the token field the emulator's user token.
  for (const [field, schema] of Object.entries(fields)) {
    if (schema['x-secret'] === true || schema.type !== 'string' || !/url$/i.test(field)) continue;
    const scim = emulator && /scim|instance/i.test(`${card.configurationKey} ${field}`);
    values[field] = scim ? emulator.scimUrl : baseUrl;
  }
  const tokenField = (kind.auth as { tokenField?: string }).tokenField;
  if (tokenField && emulator) secrets[tokenField] = emulator.fixtures.user.accessToken;
  return { values, secrets };
}

/** Replaces {{path}} in every string; a template that is the whole string keeps the value's type. */
function fillTemplates(value: unknown, scope: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (whole) return lookup(scope, whole[1]);
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_text, path: string) =>
      String(lookup(scope, path) ?? ''),
    );
  }
  if (Array.isArray(value)) return value.map((item) => fillTemplates(item, scope));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, fillTemplates(inner, scope)]),
    );
  return value;
}

function lookup(scope: Record<string, unknown>, path: string): unknown {
  let node: unknown = scope;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (node === undefined)
    throw new Error(
      `{{${path}}} names nothing (available: baseUrl, emulator.baseUrl, emulator.scimUrl, emulator.app, emulator.fixtures…)`,
    );
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
