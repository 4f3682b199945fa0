import type { MetaEmulator } from '@flowcard/meta-emulator';

/** The runtime settings that make the emulator's app the deployment's shared Meta app. */
export function metaAppEnv(meta: MetaEmulator): Record<string, string> {
  return {
    META_APP_ID: meta.app.id,
    META_APP_SECRET: meta.app.secret,
    META_GRAPH_URL: meta.graphUrl,
    META_DIALOG_URL: meta.dialogUrl,
  };
}
