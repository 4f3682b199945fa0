import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MasterKey } from '../config/runtime-config';

/** The development master key's file name inside the data directory. */
export const MASTER_KEY_FILE = 'master-key';

export interface DataDirMasterKey {
  readonly key: MasterKey;
  readonly path: string;
  /** True when this call generated the key (first start with this data directory). */
  readonly created: boolean;
  /** True when the file was readable by others and its mode was set back to 0600. */
  readonly permissionsFixed: boolean;
}

/**
 * The development master key kept in `<dataDir>/master-key` (one line `<id>:<base64 32 bytes>`, the
 * FLOWCARD_MASTER_KEYS syntax, mode 0600): generated once, so sealed secrets stay readable after a
 * restart. Two processes starting at once agree on one key: the file is written under a temporary
 * name and hard-linked into place, which fails when another process got there first.
 */
export async function dataDirMasterKey(dataDir: string): Promise<DataDirMasterKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, MASTER_KEY_FILE);
  let created = false;
  try {
    await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const id = `dev-${randomBytes(4).toString('hex')}`;
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, path);
      created = true;
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
    } finally {
      await unlink(temporary);
    }
  }
  let permissionsFixed = false;
  if (((await stat(path)).mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    permissionsFixed = true;
  }
  return { key: parseKeyFile(await readFile(path, 'utf8'), path), path, created, permissionsFixed };
}

function parseKeyFile(text: string, path: string): MasterKey {
  const match = /^([A-Za-z0-9._-]+):([A-Za-z0-9+/=]+)\s*$/.exec(text);
  const key = match ? Buffer.from(match[2]!, 'base64') : undefined;
  if (!match || key?.length !== 32) {
    throw new Error(
      `${path} is not a master key file (expected one line "<id>:<base64 of 32 bytes>"). ` +
        'Restore it from a backup, or delete it to start over (secrets saved with the old key become unreadable).',
    );
  }
  return { id: match[1]!, key };
}
