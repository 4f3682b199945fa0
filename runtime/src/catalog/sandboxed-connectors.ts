import { sep } from 'node:path';
import type { LoadedCard } from '@flowcard/engine';
import type { SandboxConfig } from '../config/sandbox-config';

/**
 * Which cards' handler code runs in the handler sandbox: every connector not shipped in this
 * repository's connectors/ folder (published bundles, npm packages, FLOWCARD_CONNECTORS_DIR), and
 * with FLOWCARD_SANDBOX=all the shipped ones too.
 */
export function sandboxedConnectors(
  scope: SandboxConfig['scope'],
  shippedDir: string,
): (card: LoadedCard) => boolean {
  const shipped = shippedDir.endsWith(sep) ? shippedDir : shippedDir + sep;
  return (card) => scope === 'all' || !card.connector.dir.startsWith(shipped);
}
