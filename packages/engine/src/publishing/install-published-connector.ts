import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RegistryEntry } from '../ports/connector-registry-repository';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { loadConnector } from '../registry/load-connector';
import type { LoadedConnector } from '../registry/loaded-connector';
import type { ManifestProblem } from '../registry/manifest-problem';
import { withLifecycle } from './apply-lifecycle-override';
import { PACKED_CONNECTOR_FORMAT, type PackedConnector } from './packed-connector';
import { resolveSdkForBundlesIn } from './sdk-resolution';
import { compareSemanticVersions, parseSemanticVersion } from './semantic-version';
import { writePackedConnector } from './write-packed-connector';

export interface InstallResult {
  /** Registered: it is now what flows pinned to its major run. */
  readonly connector?: LoadedConnector;
  /** Why it was not registered: an older or equal version is not swapped in. */
  readonly skipped?: string;
  readonly problems: readonly ManifestProblem[];
}

/**
 * Makes a published registry entry runnable in this process: writes it out as a connector folder
 * (`<cacheDir>/<name>/<version>-<hash>/`, written once, then reused), loads it like a workspace
 * connector, and registers it — replacing the connector of the same name and major when the entry
 * is newer (a release beats a pre-release, then semver order). Flows pin `name@major`, so they run
 * the new minor from their next step on, without a restart.
 *
 * A lifecycle set on the entry since it was published (setLifecycle) replaces the manifest's.
 *
 * `cacheDir` belongs to one deployment (the runtime passes `<FLOWCARD_DATA_DIR>/connectors`), never a
 * machine-wide temp folder. Handlers are required from there; `@flowcard/sdk` resolves to this
 * process's own copy (sdk-resolution.ts), so a handler may import it and node built-ins, nothing else.
 */
export async function installPublishedConnector(
  entry: RegistryEntry,
  registry: ConnectorRegistry,
  cacheDir: string,
): Promise<InstallResult> {
  const registered = registry.get(entry.name, entry.major);
  if (registered && !isNewer(entry.version, registered.manifest.version)) {
    return {
      skipped: `${entry.name}@${registered.manifest.version} is already loaded for major ${entry.major}`,
      problems: [],
    };
  }
  const dir = await materialize(entry, cacheDir);
  const loaded = await loadConnector(dir, { label: `${entry.name}@${entry.version}` });
  if (!loaded.connector) return { problems: loaded.problems };
  // A lifecycle set after publishing wins over the one the bundle's manifest carries.
  const connector = entry.lifecycleOverride
    ? withLifecycle(loaded.connector, entry.lifecycleOverride)
    : loaded.connector;
  // A workspace's own connector is seen and run by that workspace only (ConnectorRegistry.forWorkspace).
  registry.register(connector, { workspaceId: entry.workspaceId });
  return { connector, problems: [] };
}

/** Release beats pre-release, then semver: the order the store's latestOfMajor uses. */
export function isNewer(candidate: string, current: string): boolean {
  const a = parseSemanticVersion(candidate);
  const b = parseSemanticVersion(current);
  if (!a || !b) return false;
  const rank = (a.prerelease === undefined ? 1 : 0) - (b.prerelease === undefined ? 1 : 0);
  if (rank !== 0) return rank > 0;
  return compareSemanticVersions(candidate, current) > 0;
}

async function materialize(entry: RegistryEntry, cacheDir: string): Promise<string> {
  const dir = join(
    cacheDir,
    entry.name,
    `${entry.version}-${entry.contentHash.replace(/^sha256:/, '').slice(0, 16)}`,
  );
  resolveSdkForBundlesIn(cacheDir);
  if (existsSync(join(dir, 'connector.json'))) return dir;
  await mkdir(dirname(dir), { recursive: true });
  // Written aside and renamed into place, so a process never loads a half-written folder.
  const scratch = await mkdtemp(`${dir}.tmp-`);
  const bundle: PackedConnector = {
    format: PACKED_CONNECTOR_FORMAT,
    name: entry.name,
    version: entry.version,
    manifest: entry.manifest as unknown as PackedConnector['manifest'],
    cards: entry.cards.map((card) => ({
      key: card.key,
      spec: card.spec as unknown as PackedConnector['cards'][number]['spec'],
    })),
    handlers: entry.handlers,
    contentHash: entry.contentHash,
  };
  await writePackedConnector(bundle, scratch);
  try {
    await rename(scratch, dir);
  } catch (error) {
    // Another process wrote the same version first: its folder has the same content.
    await rm(scratch, { recursive: true, force: true });
    if (!existsSync(join(dir, 'connector.json'))) throw error;
  }
  return dir;
}
