import type { LifecycleSpec } from '@flowcard/schemas';
import type { RegistryEntry } from '../ports/connector-registry-repository';
import type { ConnectorRegistry } from '../registry/connector-registry';
import type { LoadedCard, LoadedConnector } from '../registry/loaded-connector';

/**
 * Makes a lifecycle set after publishing (`flowcard connector lifecycle`) what this process sees:
 * when it runs exactly `entry`'s name@version (published, or the same version loaded from disk),
 * that connector is registered again with the entry's lifecycle in its manifest. Any other version
 * keeps its own lifecycle: the override belongs to the version it was set on. Returns the
 * re-registered connector, or undefined when nothing changed here.
 */
export function applyLifecycleOverride(
  registry: ConnectorRegistry,
  entry: RegistryEntry,
): LoadedConnector | undefined {
  const running = registry.get(entry.name, entry.major);
  if (!entry.lifecycleOverride || running?.manifest.version !== entry.version) return undefined;
  const updated = withLifecycle(running, entry.lifecycleOverride);
  registry.register(updated, { workspaceId: registry.workspaceOf(entry.name) });
  return updated;
}

/**
 * A copy of the connector with another lifecycle. Cards point back at their connector, so they are
 * copied too: a card taken from the registry must show the same lifecycle as its connector.
 */
export function withLifecycle(connector: LoadedConnector, lifecycle: LifecycleSpec): LoadedConnector {
  const cards = new Map<string, LoadedCard>();
  const updated: LoadedConnector = { ...connector, manifest: { ...connector.manifest, lifecycle }, cards };
  for (const [key, card] of connector.cards) cards.set(key, { ...card, connector: updated });
  return updated;
}
