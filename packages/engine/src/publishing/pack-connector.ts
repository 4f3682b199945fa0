import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { loadConnector } from '../registry/load-connector';
import type { ManifestProblem } from '../registry/manifest-problem';
import { bundleContentHash } from './bundle-content-hash';
import { PACKED_CONNECTOR_FORMAT, type PackedConnector } from './packed-connector';

export interface PackConnectorResult {
  /** Present only when the connector loads without a single problem. */
  readonly bundle?: PackedConnector;
  readonly problems: readonly ManifestProblem[];
}

/** Handler folders may hold helpers beside the per-card modules; these are the files that run. */
const HANDLER_FILE = /\.(ts|js|cjs|mjs|json)$/;

/**
 * Packs a connector folder into one bundle. The folder is loaded exactly as the runtime loads it
 * (schemas, templates, handler files, examples); any problem refuses the pack and is returned.
 * Everything under handlers/ is included as source: handlers may import each other and
 * `@flowcard/sdk`, nothing else of the package.
 */
export async function packConnector(dir: string): Promise<PackConnectorResult> {
  const { connector, problems } = await loadConnector(dir);
  if (!connector) return { problems };
  const cards = [...connector.cards.values()]
    .map((card) => ({ key: card.spec.key, spec: card.spec }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const handlers = await readHandlers(connector.dir);
  const content = { format: PACKED_CONNECTOR_FORMAT, manifest: connector.manifest, cards, handlers } as const;
  const bundle: PackedConnector = {
    format: PACKED_CONNECTOR_FORMAT,
    name: connector.manifest.name,
    version: connector.manifest.version,
    manifest: connector.manifest,
    cards,
    handlers,
    contentHash: bundleContentHash(content),
  };
  return { bundle, problems: [] };
}

async function readHandlers(root: string): Promise<Array<{ path: string; source: string }>> {
  const dir = join(root, 'handlers');
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return [];
  }
  const files: Array<{ path: string; source: string }> = [];
  for (const entry of entries
    .filter((name) => HANDLER_FILE.test(name) && !/\.test\.[tj]s$/.test(name))
    .sort()) {
    const absolute = join(dir, entry);
    files.push({
      path: relative(root, absolute).split(sep).join('/'),
      source: await readFile(absolute, 'utf8'),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
