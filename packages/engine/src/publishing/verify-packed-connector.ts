import { publishingCodes as codes } from '../errors/codes/publishing-codes';
import { FlowcardError } from '../errors/flowcard-error';
import { bundleContentHash } from './bundle-content-hash';
import { PACKED_CONNECTOR_FORMAT, type PackedConnector } from './packed-connector';

/** A handler path as packConnector writes it; anything else could escape the folder it is written to. */
const HANDLER_PATH = /^handlers\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Checks a bundle that arrived from outside (an upload, a file): its layout, that name and version
 * agree with the manifest, that handler paths stay inside handlers/, and that the content hash is
 * the hash of the content. Whether the connector itself is valid is the loader's job (write the
 * bundle with writePackedConnector, then loadConnector). Throws FLOWCARD_ERR_BUNDLE_INVALID or
 * FLOWCARD_ERR_BUNDLE_HASH_MISMATCH.
 */
export function verifyPackedConnector(value: unknown): PackedConnector {
  const invalid = (reason: string): FlowcardError =>
    new FlowcardError(codes.FLOWCARD_ERR_BUNDLE_INVALID, { reason });
  if (!isObject(value)) throw invalid('expected a JSON object');
  if (value.format !== PACKED_CONNECTOR_FORMAT) throw invalid(`format must be "${PACKED_CONNECTOR_FORMAT}"`);
  if (!isObject(value.manifest)) throw invalid('manifest must be an object');
  if (value.name !== value.manifest.name) throw invalid('name differs from manifest.name');
  if (value.version !== value.manifest.version) throw invalid('version differs from manifest.version');
  if (
    !Array.isArray(value.cards) ||
    value.cards.some((card) => !isObject(card) || typeof card.key !== 'string' || !isObject(card.spec))
  ) {
    throw invalid('cards must be an array of { key, spec }');
  }
  if (
    !Array.isArray(value.handlers) ||
    value.handlers.some(
      (file) => !isObject(file) || typeof file.path !== 'string' || typeof file.source !== 'string',
    )
  ) {
    throw invalid('handlers must be an array of { path, source }');
  }
  for (const file of value.handlers as Array<{ path: string }>) {
    if (!HANDLER_PATH.test(file.path) || file.path.split('/').includes('..'))
      throw invalid(`handler path ${JSON.stringify(file.path)} is not inside handlers/`);
  }
  const bundle = value as unknown as PackedConnector;
  const actual = bundleContentHash(bundle);
  if (bundle.contentHash !== actual) {
    throw new FlowcardError(codes.FLOWCARD_ERR_BUNDLE_HASH_MISMATCH, {
      declared: String(bundle.contentHash),
      actual,
    });
  }
  return bundle;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
