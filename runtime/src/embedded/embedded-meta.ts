import { startMetaEmulator } from '@flowcard/meta-emulator';
import type { MetaAppConfig } from '../config/runtime-config';

/** The bundled Meta emulator, running in this process, standing in for Meta. */
export interface EmbeddedMeta {
  readonly app: MetaAppConfig;
  stop(): Promise<void>;
}

/**
 * Starts the Meta emulator on a free port and returns an app configuration whose every URL, app id
 * and secret points at it.
 */
export async function startEmbeddedMeta(graphVersion: string): Promise<EmbeddedMeta> {
  const emulator = await startMetaEmulator({ port: 0 });
  return {
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
