import type { LoadedCard, LoadedConnector, WorkspaceConnectors } from '@flowcard/engine';
import type { ConfigurationKindSpec } from '@flowcard/schemas';
import type { WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';

/** A connector's configuration kind, with what the configurations API needs to know about it. */
export interface ConfigurationKind {
  readonly connector: LoadedConnector;
  readonly key: string;
  readonly spec: ConfigurationKindSpec;
  /** Fields marked `x-secret`: sealed at rest, never returned. */
  readonly secretFields: readonly string[];
  /** The connection test card, when the kind declares one. */
  readonly testCard?: LoadedCard;
}

/**
 * Finds a kind by connector name and key (default: the connector's only or "default" kind). The newest
 * major of the connector is used: configurations are not pinned to a major, flows are.
 */
export function findConfigurationKind(
  registry: Pick<WorkspaceConnectors, 'get'>,
  connectorName: string,
  kindKey?: string,
): ConfigurationKind {
  const connector = registry.get(connectorName);
  if (!connector) throw apiError('FLOWCARD_ERR_CONNECTOR_NOT_FOUND', { name: connectorName });
  const kinds = Object.keys(connector.manifest.configurations);
  const key = kindKey ?? (kinds.includes('default') ? 'default' : kinds.length === 1 ? kinds[0] : undefined);
  const spec = key === undefined ? undefined : connector.manifest.configurations[key];
  if (!key || !spec) {
    throw apiError('FLOWCARD_ERR_CONFIGURATION_KIND_NOT_FOUND', {
      connector: connectorName,
      kind: kindKey ?? '(none given)',
      kinds: kinds.map((k) => `"${k}"`).join(', '),
    });
  }
  const secretFields = Object.entries(spec.schema.properties)
    .filter(([, schema]) => Boolean((schema as { 'x-secret'?: boolean })['x-secret']))
    .map(([field]) => field);
  const testCard = spec.test ? connector.cards.get(spec.test.card) : undefined;
  return { connector, key, spec, secretFields, ...(testCard ? { testCard } : {}) };
}

/** Whether a kind is connected through Meta's OAuth dialog (Connect Meta) rather than pasted. */
export function isMetaOAuthKind(spec: ConfigurationKindSpec): boolean {
  return spec.auth.kind === 'oauth2' && spec.auth.provider === 'meta';
}

/**
 * The lowest role allowed to connect Meta accounts. Decision: members may not. A connection stores
 * page tokens that act for the whole Page and can be shared with the workspace; that is an admin's
 * call, as creating a Workplace configuration is. Pasting a Page token into a Meta kind is the same
 * act by another door, so it needs the same role.
 */
export const CONNECT_META_ROLE: WorkspaceRole = 'admin';

/** The lowest role that may create (or own) a configuration of this kind. */
export function requiredRoleOf(kind: ConfigurationKind): WorkspaceRole {
  return kind.spec.requiresRole ?? (isMetaOAuthKind(kind.spec) ? CONNECT_META_ROLE : 'member');
}
