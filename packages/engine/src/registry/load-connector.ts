import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { CardSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import { cardSchema, connectorSchema } from '@flowcard/schemas';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { createAjv } from '../validation/create-ajv';
import { checkCards } from './check-cards';
import { checkManifest } from './check-manifest';
import { ConnectorCheckContext, type ParsedCard } from './connector-check-context';
import type { LoadedCard, LoadedConnector } from './loaded-connector';
import { createManifestProblem, type ManifestProblem } from './manifest-problem';
import { packageSchemaValidators } from './package-schema-validators';
import { readJsonFile } from './read-json-file';
import { describeSchemaViolations } from './schema-violations';

/** A connector is loaded only when it has no problem at all: a half-valid connector never runs. */
export interface ConnectorLoadResult {
  connector?: LoadedConnector;
  problems: ManifestProblem[];
}

export interface LoadConnectorOptions {
  /**
   * How the connector folder is named in problem lines (default: the folder's name). Packages
   * installed from npm pass their package name, e.g. `@acme/flowcard-crm`.
   */
  label?: string;
}

type FileDisplay = (absolutePath: string) => string;

/**
 * Loads one connector package folder: validates connector.json and every cards/*.json against
 * their schemas, runs the checks schemas cannot express, compiles each card's input and output
 * validators, and returns the loaded connector — or every problem found, each naming its file
 * (relative to the folder holding the connector), JSON pointer, what is wrong and how to fix it.
 *
 * The manifest is `connector.json` in `dir`, or the file the folder's package.json names in
 * `"flowcard": { "connector": … }`; cards and handlers are resolved beside it.
 */
export async function loadConnector(
  dir: string,
  options: LoadConnectorOptions = {},
): Promise<ConnectorLoadResult> {
  const packageDir = resolve(dir);
  const label = options.label ?? basename(packageDir);
  const display: FileDisplay = (path) => posix.join(label, relative(packageDir, path).split(sep).join('/'));
  const problems: ManifestProblem[] = [];

  const manifestPath = await manifestLocation(packageDir);
  if (!existsSync(manifestPath)) {
    problems.push(
      createManifestProblem(
        manifestCodes.FLOWCARD_ERR_CONNECTOR_NOT_FOUND,
        { file: label, jsonPath: '' },
        { file: display(manifestPath) },
        'Create connector.json (see schemas/connector.schema.json), or remove the folder from the connectors directory',
      ),
    );
    return { problems };
  }
  const root = dirname(manifestPath);
  const manifest = await readManifest(manifestPath, display, problems);
  const { cards, knownKeys } = await readCards(root, display, problems);

  const ctx = new ConnectorCheckContext(root, display(manifestPath), manifest, cards, knownKeys, createAjv());
  checkManifest(ctx);
  checkCards(ctx);
  problems.push(...ctx.problems);

  if (problems.length > 0 || !manifest) return { problems };
  return { connector: buildConnector(ctx, manifest), problems };
}

async function manifestLocation(packageDir: string): Promise<string> {
  const packageJson = join(packageDir, 'package.json');
  if (existsSync(packageJson)) {
    const content = await readJsonFile(packageJson);
    const named = content.ok
      ? (content.value as { flowcard?: { connector?: unknown } } | null)?.flowcard?.connector
      : undefined;
    if (typeof named === 'string') return resolve(packageDir, named);
  }
  return join(packageDir, 'connector.json');
}

async function readManifest(
  path: string,
  display: FileDisplay,
  problems: ManifestProblem[],
): Promise<ConnectorManifestSpec | undefined> {
  const value = await parseFile(path, display, problems);
  if (value === undefined) return undefined;
  const validate = packageSchemaValidators().connector;
  if (validate(value)) return value as ConnectorManifestSpec;
  for (const violation of describeSchemaViolations(validate.errors ?? [], connectorSchema)) {
    problems.push(
      createManifestProblem(
        manifestCodes.FLOWCARD_ERR_MANIFEST_INVALID,
        { file: display(path), jsonPath: violation.jsonPath },
        { reason: violation.reason },
        violation.hint,
      ),
    );
  }
  return undefined;
}

async function readCards(
  root: string,
  display: FileDisplay,
  problems: ManifestProblem[],
): Promise<{ cards: ParsedCard[]; knownKeys: Set<string> }> {
  const cardsDir = join(root, 'cards');
  const files = existsSync(cardsDir)
    ? (await readdir(cardsDir, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
        .map((entry) => entry.name)
        .sort()
    : [];
  if (files.length === 0) {
    problems.push(
      createManifestProblem(
        manifestCodes.FLOWCARD_ERR_CONNECTOR_NO_CARDS,
        { file: display(cardsDir), jsonPath: '' },
        {},
        'Add at least one card as cards/<key>.json (see schemas/card.schema.json)',
      ),
    );
  }
  const cards: ParsedCard[] = [];
  const knownKeys = new Set<string>();
  const validate = packageSchemaValidators().card;
  for (const name of files) {
    const path = join(cardsDir, name);
    const value = await parseFile(path, display, problems);
    if (value === undefined) continue;
    const key = (value as { key?: unknown } | null)?.key;
    if (typeof key === 'string') knownKeys.add(key);
    if (validate(value)) {
      cards.push({ spec: value as CardSpec, file: display(path), fileKey: name.slice(0, -'.json'.length) });
      continue;
    }
    for (const violation of describeSchemaViolations(validate.errors ?? [], cardSchema)) {
      problems.push(
        createManifestProblem(
          manifestCodes.FLOWCARD_ERR_CARD_INVALID,
          { file: display(path), jsonPath: violation.jsonPath },
          { reason: violation.reason },
          violation.hint,
        ),
      );
    }
  }
  return { cards, knownKeys };
}

/** The parsed JSON of a file, or undefined after reporting its syntax error. */
async function parseFile(path: string, display: FileDisplay, problems: ManifestProblem[]): Promise<unknown> {
  const content = await readJsonFile(path);
  if (content.ok) return content.value;
  problems.push(
    createManifestProblem(
      manifestCodes.FLOWCARD_ERR_CONNECTOR_JSON_SYNTAX,
      { file: display(path), jsonPath: '' },
      { line: content.error.line, column: content.error.column, reason: content.error.reason },
      'Fix the JSON syntax (double-quoted names and strings, no trailing commas, no comments)',
    ),
  );
  return undefined;
}

function buildConnector(ctx: ConnectorCheckContext, manifest: ConnectorManifestSpec): LoadedConnector {
  const cards = new Map<string, LoadedCard>();
  const major = Number(manifest.version.split('.')[0]);
  const connector: LoadedConnector = { manifest, dir: ctx.root, major, cards };
  for (const card of ctx.cards) {
    const kind = ctx.kinds.get(card);
    const compiled = ctx.compiled.get(card);
    // Both are set for every card once the checks found no problem; guard for the type checker.
    if (!kind || !compiled?.input || !compiled.output)
      throw new Error(`card ${card.file} was not fully checked`);
    const polling = card.spec.trigger?.polling;
    cards.set(card.spec.key, {
      spec: card.spec,
      ref: `${manifest.name}/${card.spec.key}@${major}`,
      connector,
      configurationKey: kind.key,
      configurationKind: kind.kind,
      validateInput: compiled.input,
      validateOutput: compiled.output,
      handlerPath: card.spec.handler === undefined ? undefined : join(ctx.root, card.spec.handler),
      pollingHandlerPath: polling?.handler === undefined ? undefined : join(ctx.root, polling.handler),
    });
  }
  return connector;
}
