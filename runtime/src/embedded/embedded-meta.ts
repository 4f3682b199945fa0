import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startMetaEmulator } from '@flowcard/meta-emulator';
import type { MetaAppConfig } from '../config/runtime-config';

/** The bundled Meta emulator, running in this process, standing in for Meta. */
export interface EmbeddedMeta {
  readonly app: MetaAppConfig;
  stop(): Promise<void>;
}

/**
 * Starts the Meta emulator and returns an app configuration whose every URL, app id and secret
 * points at it. With a data directory, the port is kept in `<dataDir>/embedded-meta-port` and reused
 * on the next start, so URLs saved in configurations (e.g. a Workplace Graph URL) keep working after
 * a restart; when that port is taken, a free one is used and `movedFrom` says which was saved.
 */
export async function startEmbeddedMeta(
  graphVersion: string,
  dataDir?: string,
): Promise<EmbeddedMeta & { movedFrom?: number }> {
  const portFile = dataDir ? join(dataDir, 'embedded-meta-port') : undefined;
  const saved = portFile ? await readSavedPort(portFile) : undefined;
  let emulator: Awaited<ReturnType<typeof startMetaEmulator>>;
  let movedFrom: number | undefined;
  try {
    emulator = await startMetaEmulator({ port: saved ?? 0 });
  } catch (error) {
    if (saved === undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    emulator = await startMetaEmulator({ port: 0 });
    movedFrom = saved;
  }
  if (portFile) {
    await mkdir(dataDir!, { recursive: true, mode: 0o700 });
    await writeFile(portFile, `${new URL(emulator.baseUrl).port}\n`);
  }
  return {
    movedFrom,
    app: {
      appId: emulator.app.id,
      appSecret: emulator.app.secret,
      graphUrl: emulator.graphUrl,
      dialogUrl: emulator.dialogUrl,
      graphVersion,
      source: 'emulator',
      scimUrl: emulator.scimUrl,
    },
    stop: () => emulator.close(),
  };
}

async function readSavedPort(path: string): Promise<number | undefined> {
  try {
    const port = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}
