import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PackedConnector } from './packed-connector';

/**
 * Writes a (verified) bundle out as a connector folder — connector.json, cards/<key>.json,
 * handlers/… — that loadConnector reads like any workspace connector. The runtime does this for
 * every published version it hot-loads; tests use it to prove a bundle round-trips.
 */
export async function writePackedConnector(bundle: PackedConnector, dir: string): Promise<void> {
  await mkdir(join(dir, 'cards'), { recursive: true });
  await writeFile(join(dir, 'connector.json'), `${JSON.stringify(bundle.manifest, null, 2)}\n`);
  for (const card of bundle.cards) {
    await writeFile(join(dir, 'cards', `${card.key}.json`), `${JSON.stringify(card.spec, null, 2)}\n`);
  }
  for (const file of bundle.handlers) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.source);
  }
}
