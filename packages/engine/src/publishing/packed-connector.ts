import type { CardSpec, ConnectorManifestSpec } from '@flowcard/schemas';

/** Names the layout of a bundle file, so a future layout can be told apart. */
export const PACKED_CONNECTOR_FORMAT = 'flowcard-connector-bundle/1';

/**
 * One connector version as a single JSON document: what `flowcard connector pack` writes
 * (`<name>-<version>.flowcard.json`) and `publish` uploads. It mirrors the store's ConnectorBundle
 * (name, version, manifest, cards, handler sources, content hash), so the registry route stores it
 * as it comes.
 *
 * Handlers travel as source (TypeScript or JavaScript): the runtime writes them to disk and
 * requires them through tsx/swc like workspace connectors, so there is no build step for authors.
 */
export interface PackedConnector {
  readonly format: typeof PACKED_CONNECTOR_FORMAT;
  readonly name: string;
  readonly version: string;
  readonly manifest: ConnectorManifestSpec;
  /** Sorted by key. */
  readonly cards: ReadonlyArray<{ readonly key: string; readonly spec: CardSpec }>;
  /** Every file under handlers/, sorted by path (relative, forward slashes). */
  readonly handlers: ReadonlyArray<{ readonly path: string; readonly source: string }>;
  /** `sha256:<hex>` of the canonical JSON of format, manifest, cards and handlers. */
  readonly contentHash: string;
}

/** The file name `connector pack` writes by default. */
export function packedConnectorFileName(bundle: Pick<PackedConnector, 'name' | 'version'>): string {
  return `${bundle.name}-${bundle.version}.flowcard.json`;
}
