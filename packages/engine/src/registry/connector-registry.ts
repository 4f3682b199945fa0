import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { FlowcardError } from '../errors/flowcard-error';
import { parseCardRef } from './card-ref';
import { loadConnector } from './load-connector';
import type { LoadedCard, LoadedConnector } from './loaded-connector';
import { createManifestProblem, type ManifestProblem } from './manifest-problem';

/** Where connectors come from. */
export interface ConnectorSources {
  /** Folders whose sub-folders are connector packages (the workspace's `connectors/`). */
  directories: string[];
  /** npm package names; each package.json must name its manifest in `"flowcard": { "connector": … }`. */
  packages?: string[];
}

/** The problems of one connector source that could not be loaded. */
export interface ConnectorLoadFailure {
  /** Absolute folder of the connector, or the npm package name when it could not be resolved. */
  readonly source: string;
  readonly problems: readonly ManifestProblem[];
}

export interface RegistryLoadReport {
  readonly loaded: readonly LoadedConnector[];
  readonly failures: readonly ConnectorLoadFailure[];
}

/** The connectors one workspace sees: ConnectorRegistry.forWorkspace(). */
export interface WorkspaceConnectors {
  get(name: string, major?: number): LoadedConnector | undefined;
  card(ref: string): LoadedCard | undefined;
  /** Throws FLOWCARD_ERR_CARD_NOT_FOUND for a card of another workspace exactly as for an unknown one. */
  requireCard(ref: string): LoadedCard;
  missingCardReason(ref: string): string;
  list(): LoadedConnector[];
  /** The workspace a visible connector name belongs to; undefined for a deployment connector. */
  workspaceOf(name: string): string | undefined;
}

export interface ConnectorRegistryOptions {
  /** Where npm package names are resolved from (default: the working directory, then this module). */
  resolvePaths?: string[];
}

/**
 * The connectors a process can run, by name and major: several majors of one connector live side
 * by side because flows pin `<connector>/<card>@<major>`. A connector that fails to load is kept
 * as a failure with its problems and never stops the others.
 */
export class ConnectorRegistry {
  private readonly connectors = new Map<string, Map<number, LoadedConnector>>();
  private readonly failures = new Map<string, ConnectorLoadFailure>();
  /** Connector name → the workspace that published it; names absent here are deployment connectors. */
  private readonly scopes = new Map<string, string>();
  private readonly resolvePaths: string[];

  constructor(options: ConnectorRegistryOptions = {}) {
    this.resolvePaths = options.resolvePaths ?? [process.cwd(), __dirname];
  }

  /**
   * Loads every connector of the sources and registers those without problems. Loading a source
   * again replaces what it gave before (a fixed connector drops its failure).
   */
  async loadFrom(sources: ConnectorSources): Promise<RegistryLoadReport> {
    const candidates: Array<{ source: string; dir?: string; label?: string; problems?: ManifestProblem[] }> =
      [];
    for (const directory of sources.directories) {
      for (const dir of await connectorFolders(resolve(directory))) candidates.push({ source: dir, dir });
    }
    for (const name of sources.packages ?? []) candidates.push(await this.resolvePackage(name));

    const results = await Promise.all(
      candidates.map(async (candidate) =>
        candidate.dir === undefined
          ? { source: candidate.source, problems: candidate.problems ?? [] }
          : { source: candidate.source, ...(await loadConnector(candidate.dir, { label: candidate.label })) },
      ),
    );

    const loaded: LoadedConnector[] = [];
    const failures: ConnectorLoadFailure[] = [];
    const fromThisLoad = new Map<string, string>();
    for (const result of results) {
      this.failures.delete(result.source);
      const connector = 'connector' in result ? result.connector : undefined;
      let problems = result.problems;
      if (connector) {
        const id = `${connector.manifest.name}@${connector.major}`;
        const other = fromThisLoad.get(id);
        if (other === undefined) {
          fromThisLoad.set(id, result.source);
          this.register(connector);
          loaded.push(connector);
          continue;
        }
        problems = [duplicateProblem(connector, result.source, other)];
      }
      const failure = { source: result.source, problems };
      this.failures.set(result.source, failure);
      failures.push(failure);
    }
    return { loaded, failures };
  }

  /**
   * Adds a connector, replacing the one of the same name and major (hot load of a new minor).
   * `workspaceId`: a connector a workspace published for itself; absent, a deployment connector
   * (shipped, npm, or installed by the operator) that every workspace sees. A name belongs to one
   * scope (publishing refuses a clash), so every major of a name shares the scope of the last one.
   */
  register(connector: LoadedConnector, options: { workspaceId?: string | null } = {}): void {
    const name = connector.manifest.name;
    const majors = this.connectors.get(name) ?? new Map<number, LoadedConnector>();
    majors.set(connector.major, connector);
    this.connectors.set(name, majors);
    if (options.workspaceId) this.scopes.set(name, options.workspaceId);
    else this.scopes.delete(name);
  }

  /** The workspace a connector name belongs to; undefined for a deployment connector (or an unknown name). */
  workspaceOf(name: string): string | undefined {
    return this.scopes.get(name);
  }

  /**
   * What one workspace may see and run: the deployment's connectors and its own, never another
   * workspace's. Every lookup made for a workspace (catalog, flows, runs, configurations) goes
   * through this view; the registry's own methods see everything (installing, lifecycles).
   */
  forWorkspace(workspaceId: string): WorkspaceConnectors {
    const visible = (name: string): boolean => {
      const owner = this.scopes.get(name);
      return owner === undefined || owner === workspaceId;
    };
    return {
      get: (name, major) => (visible(name) ? this.get(name, major) : undefined),
      card: (ref) => {
        const parsed = parseCardRef(ref);
        return parsed && visible(parsed.connector) ? this.card(ref) : undefined;
      },
      requireCard: (ref) => {
        const parsed = parseCardRef(ref);
        if (parsed && !visible(parsed.connector))
          throw new FlowcardError(manifestCodes.FLOWCARD_ERR_CARD_NOT_FOUND, {
            ref,
            reason: `: no connector "${parsed.connector}" is loaded`,
          });
        return this.requireCard(ref);
      },
      missingCardReason: (ref) => {
        const parsed = parseCardRef(ref);
        if (parsed && !visible(parsed.connector)) return `: no connector "${parsed.connector}" is loaded`;
        return this.missingCardReason(ref);
      },
      list: () => this.list().filter((connector) => visible(connector.manifest.name)),
      workspaceOf: (name) => this.scopes.get(name),
    };
  }

  /** Removes one major of a connector; true when it was registered. */
  unregister(name: string, major: number): boolean {
    const majors = this.connectors.get(name);
    const removed = majors?.delete(major) ?? false;
    if (majors && majors.size === 0) {
      this.connectors.delete(name);
      this.scopes.delete(name);
    }
    return removed;
  }

  /** A connector by name and major, or its newest major when major is omitted. */
  get(name: string, major?: number): LoadedConnector | undefined {
    const majors = this.connectors.get(name);
    if (!majors) return undefined;
    if (major !== undefined) return majors.get(major);
    return majors.get(Math.max(...majors.keys()));
  }

  /** A card by `connector/card@major`, or `connector/card` for the newest major; undefined when absent or malformed. */
  card(ref: string): LoadedCard | undefined {
    const parsed = parseCardRef(ref);
    if (!parsed) return undefined;
    return this.get(parsed.connector, parsed.major)?.cards.get(parsed.card);
  }

  /** Like card(), but throws FLOWCARD_ERR_CARD_REF_INVALID or FLOWCARD_ERR_CARD_NOT_FOUND with a reason. */
  requireCard(ref: string): LoadedCard {
    const parsed = parseCardRef(ref);
    if (!parsed) throw new FlowcardError(manifestCodes.FLOWCARD_ERR_CARD_REF_INVALID, { ref });
    const card = this.card(ref);
    if (card) return card;
    throw new FlowcardError(manifestCodes.FLOWCARD_ERR_CARD_NOT_FOUND, {
      ref,
      reason: this.missingCardReason(ref),
    });
  }

  /**
   * Why card() finds nothing for `ref`, as a clause starting with ": " (empty when it does find it):
   * the majors that are loaded, so a flow pinned to a major that is gone says what it can pin instead.
   */
  missingCardReason(ref: string): string {
    const parsed = parseCardRef(ref);
    if (!parsed || this.card(ref)) return '';
    const majors = [...(this.connectors.get(parsed.connector)?.keys() ?? [])].sort((a, b) => a - b);
    if (majors.length === 0) return `: no connector "${parsed.connector}" is loaded`;
    if (!this.get(parsed.connector, parsed.major))
      return `: connector "${parsed.connector}" is loaded in major ${majors.join(', ')} only`;
    return `: connector "${parsed.connector}" has no card "${parsed.card}"`;
  }

  /** Every registered connector, by name then major. */
  list(): LoadedConnector[] {
    return [...this.connectors.keys()]
      .sort()
      .flatMap((name) => [...(this.connectors.get(name)?.values() ?? [])].sort((a, b) => a.major - b.major));
  }

  /** The sources that failed to load at their latest load, with their problems. */
  problems(): ConnectorLoadFailure[] {
    return [...this.failures.values()];
  }

  private async resolvePackage(
    name: string,
  ): Promise<{ source: string; dir?: string; label?: string; problems?: ManifestProblem[] }> {
    const fail = (reason: string, hint: string): { source: string; problems: ManifestProblem[] } => ({
      source: name,
      problems: [
        createManifestProblem(
          manifestCodes.FLOWCARD_ERR_CONNECTOR_PACKAGE_INVALID,
          { file: name, jsonPath: '' },
          { package: name, reason },
          hint,
        ),
      ],
    });
    let packageJson: string;
    try {
      packageJson = require.resolve(`${name}/package.json`, { paths: this.resolvePaths });
    } catch {
      return fail(
        'it is not installed',
        `Install it (npm install ${name}) or remove it from the configured connector packages`,
      );
    }
    let manifest: unknown;
    try {
      manifest = (JSON.parse(await readFile(packageJson, 'utf8')) as { flowcard?: { connector?: unknown } })
        .flowcard?.connector;
    } catch {
      manifest = undefined;
    }
    if (typeof manifest !== 'string') {
      return fail(
        'its package.json has no "flowcard": { "connector": … }',
        'Add "flowcard": { "connector": "connector.json" } to its package.json, or remove it from the configured connector packages',
      );
    }
    return { source: dirname(packageJson), dir: dirname(packageJson), label: name };
  }
}

/** Sub-folders that may hold a connector; dot-folders and node_modules are never connectors. */
async function connectorFolders(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return [];
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => join(directory, entry.name))
    .sort();
}

function duplicateProblem(connector: LoadedConnector, source: string, other: string): ManifestProblem {
  const name = connector.manifest.name;
  return createManifestProblem(
    manifestCodes.FLOWCARD_ERR_CONNECTOR_DUPLICATE,
    { file: `${basename(source)}/connector.json`, jsonPath: '/name' },
    { name, major: connector.major, other },
    'Remove one of the two folders, or give this one another name or major version',
  );
}
