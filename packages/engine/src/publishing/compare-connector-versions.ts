import type { AuthSpec, CardSpec, ConfigurationKindSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import { jsonPointer } from '../registry/json-pointer';
import { compareJsonSchemas, type MutableCompatibilityReport } from './compare-json-schemas';
import type { CompatibilityReport, SchemaChange } from './schema-change';

/** What the check needs of a connector version: its manifest and its cards (from a folder or a bundle). */
export interface ConnectorVersionContent {
  readonly manifest: ConnectorManifestSpec;
  readonly cards: readonly CardSpec[];
}

/**
 * Compares the latest published version of a major with a candidate and sorts every difference
 * into breaking (needs a new major) and additive (fine in a minor or patch):
 *
 * - breaking: a card removed, a card's kind or configuration kind changed, a new required input, an
 *   input removed, retyped or tightened, an output field removed, retyped or no longer always
 *   present, an enum narrowed (input or output), a configuration kind removed, its auth kind,
 *   credential fields or scopes changed, a new required or retyped configuration field.
 * - additive: a new card, a new optional input, a new output field, a widened enum, a new optional
 *   configuration field, a new configuration kind.
 *
 * Titles, descriptions, examples, requests and handlers are not part of the contract: changing
 * them is a patch.
 */
export function compareConnectorVersions(
  published: ConnectorVersionContent,
  candidate: ConnectorVersionContent,
): CompatibilityReport {
  const report: MutableCompatibilityReport = { breaking: [], additive: [] };
  compareConfigurations(published.manifest, candidate.manifest, report);
  const before = new Map(published.cards.map((card) => [card.key, card]));
  const after = new Map(candidate.cards.map((card) => [card.key, card]));
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const file = `cards/${key}.json`;
    const previous = before.get(key);
    const next = after.get(key);
    if (previous && !next)
      report.breaking.push({ card: key, file, path: '', message: `card "${key}" removed` });
    else if (!previous && next)
      report.additive.push({ card: key, file, path: '', message: `new card "${key}"` });
    else if (previous && next) compareCards(published.manifest, previous, candidate.manifest, next, report);
  }
  return report;
}

function compareCards(
  previousManifest: ConnectorManifestSpec,
  previous: CardSpec,
  candidateManifest: ConnectorManifestSpec,
  candidate: CardSpec,
  report: MutableCompatibilityReport,
): void {
  const card = candidate.key;
  const file = `cards/${card}.json`;
  if (previous.kind !== candidate.kind) {
    report.breaking.push({
      card,
      file,
      path: '/kind',
      message: `card kind changed from ${previous.kind} to ${candidate.kind}`,
    });
    return;
  }
  const kindBefore = configurationKeyOf(previousManifest, previous);
  const kindAfter = configurationKeyOf(candidateManifest, candidate);
  if (kindBefore !== kindAfter) {
    report.breaking.push({
      card,
      file,
      path: '/configuration',
      message: `card uses configuration kind "${kindAfter ?? '?'}" instead of "${kindBefore ?? '?'}"`,
    });
  }
  compareJsonSchemas(
    previous.input,
    candidate.input,
    { position: 'input', file, card, pointer: '/input' },
    report,
  );
  compareJsonSchemas(
    previous.output,
    candidate.output,
    { position: 'output', file, card, pointer: '/output' },
    report,
  );
}

/** The kind a card uses: its own `configuration`, or the manifest's only kind. */
function configurationKeyOf(manifest: ConnectorManifestSpec, card: CardSpec): string | undefined {
  if (card.configuration !== undefined) return card.configuration;
  const keys = Object.keys(manifest.configurations);
  return keys.length === 1 ? keys[0] : undefined;
}

function compareConfigurations(
  previous: ConnectorManifestSpec,
  candidate: ConnectorManifestSpec,
  report: MutableCompatibilityReport,
): void {
  const file = 'connector.json';
  const keys = [
    ...new Set([...Object.keys(previous.configurations), ...Object.keys(candidate.configurations)]),
  ].sort();
  for (const key of keys) {
    const pointer = jsonPointer('/configurations', key);
    const before = previous.configurations[key];
    const after = candidate.configurations[key];
    if (before && !after)
      report.breaking.push({ file, path: pointer, message: `configuration kind "${key}" removed` });
    else if (!before && after)
      report.additive.push({ file, path: pointer, message: `new configuration kind "${key}"` });
    else if (before && after) compareConfigurationKind(key, before, after, pointer, report);
  }
}

function compareConfigurationKind(
  key: string,
  before: ConfigurationKindSpec,
  after: ConfigurationKindSpec,
  pointer: string,
  report: MutableCompatibilityReport,
): void {
  const file = 'connector.json';
  const push = (list: SchemaChange[], path: string, message: string): void =>
    void list.push({ file, path, message });
  if (before.auth.kind !== after.auth.kind) {
    push(
      report.breaking,
      jsonPointer(pointer, 'auth', 'kind'),
      `configuration kind "${key}" auth changed from ${before.auth.kind} to ${after.auth.kind}`,
    );
  } else {
    for (const [field, previousName, nextName] of credentialFields(before.auth, after.auth)) {
      if (previousName === nextName) continue;
      push(
        report.breaking,
        jsonPointer(pointer, 'auth', field),
        `configuration kind "${key}" ${field} changed from "${previousName ?? ''}" to "${nextName ?? ''}"`,
      );
    }
    if (before.auth.kind === 'oauth2' && after.auth.kind === 'oauth2') {
      // Tokens already granted lack a new scope: every saved configuration would need a new consent.
      const granted = before.auth.scopes;
      const added = after.auth.scopes.filter((scope) => !granted.includes(scope));
      if (added.length > 0) {
        push(
          report.breaking,
          jsonPointer(pointer, 'auth', 'scopes'),
          `configuration kind "${key}" now asks for scope ${added.join(', ')}`,
        );
      }
    }
  }
  compareJsonSchemas(
    before.schema,
    after.schema,
    { position: 'configuration', file, pointer: jsonPointer(pointer, 'schema') },
    report,
  );
}

/** Names of the configuration fields holding credentials: renaming one orphans saved secrets. */
function credentialFields(
  before: AuthSpec,
  after: AuthSpec,
): Array<[string, string | undefined, string | undefined]> {
  const read = (auth: AuthSpec, field: string): string | undefined =>
    (auth as unknown as Record<string, unknown>)[field] as string | undefined;
  return ['tokenField', 'usernameField', 'passwordField'].map((field) => [
    field,
    read(before, field),
    read(after, field),
  ]);
}
