import type { LifecycleSpec } from '@flowcard/schemas';
import { publishingCodes as codes } from '../errors/codes/publishing-codes';
import { FlowcardError } from '../errors/flowcard-error';
import type { ConnectorRegistryRepository, RegistryEntry } from '../ports/connector-registry-repository';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { applyLifecycleOverride } from './apply-lifecycle-override';

export interface SetConnectorLifecycleRequest {
  readonly repository: ConnectorRegistryRepository;
  /** This process's registry: it shows the new lifecycle at once; other processes poll for it. */
  readonly registry: ConnectorRegistry;
  readonly name: string;
  readonly version: string;
  /** Already validated against the manifest schema's LifecycleSpec. */
  readonly lifecycle: LifecycleSpec;
}

export interface SetConnectorLifecycleOutcome {
  readonly entry: RegistryEntry;
  /** The version this process runs for the entry's major (undefined: none); the catalog shows that one's lifecycle. */
  readonly runningVersion?: string;
}

/**
 * Deprecates, sunsets or reactivates one published connector version: stores the lifecycle with its
 * registry entry (nothing else of the entry changes) and applies it in this process. Throws
 * FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND when name@version was never published.
 */
export async function setConnectorLifecycle(
  request: SetConnectorLifecycleRequest,
): Promise<SetConnectorLifecycleOutcome> {
  const { repository, registry, name, version, lifecycle } = request;
  const entry = await repository.setLifecycle(name, version, lifecycle);
  if (!entry) throw new FlowcardError(codes.FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND, { name, version });
  applyLifecycleOverride(registry, entry);
  const runningVersion = registry.get(name, entry.major)?.manifest.version;
  return { entry, ...(runningVersion === undefined ? {} : { runningVersion }) };
}
