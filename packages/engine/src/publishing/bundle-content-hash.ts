import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { PackedConnector } from './packed-connector';

/**
 * The content hash of a bundle: sha256 over the canonical JSON (sorted keys, no whitespace) of
 * what runs — format, manifest, cards, handler sources — so key order or indentation in the source
 * files never changes it, and the same package packed twice gives the same hash.
 */
export function bundleContentHash(
  content: Pick<PackedConnector, 'format' | 'manifest' | 'cards' | 'handlers'>,
): string {
  const text = canonicalJson({
    format: content.format,
    manifest: content.manifest,
    cards: content.cards,
    handlers: content.handlers,
  });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
