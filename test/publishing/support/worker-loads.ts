import type { ConnectorRegistry } from '@flowcard/engine';
import { getBound, Ports, type RuntimeHandle } from '@flowcard/runtime';
import { waitFor } from '../../support/wait-for';

/** Waits until `worker`'s registry runs `name@version` for its major (a hot-load, seen from outside the API); answers the registry. */
export async function workerLoads(
  worker: RuntimeHandle,
  name: string,
  version: string,
): Promise<ConnectorRegistry> {
  const registry = getBound(worker.container, Ports.connectors);
  const major = Number(version.split('.')[0]);
  await waitFor(
    `the worker to load ${name}@${version}`,
    () => registry.get(name, major)?.manifest.version === version,
    10_000,
    100,
  );
  return registry;
}
