import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatManifestProblem, type ConnectorRegistry } from '@flowcard/engine';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';

/** The repository's own connectors/ folder (present in a clone, absent in an installed runtime). */
export const repositoryConnectorsDir = resolve(__dirname, '../../../connectors');

/**
 * Fills the registry from the repository's connectors/ folder, FLOWCARD_CONNECTORS_DIR and
 * FLOWCARD_CONNECTOR_PACKAGES. A broken connector is logged with file, JSON path and reason and
 * does not stop the others (docs/architecture.md §3).
 */
export async function loadConnectors(
  registry: ConnectorRegistry,
  config: ResolvedConfig,
  logger: Logger,
): Promise<void> {
  const directories = [
    ...(existsSync(repositoryConnectorsDir) ? [repositoryConnectorsDir] : []),
    ...config.connectorDirectories,
  ];
  const report = await registry.loadFrom({ directories, packages: [...config.connectorPackages] });
  for (const failure of report.failures) {
    logger.error(
      { source: failure.source, problems: failure.problems.map(formatManifestProblem) },
      `connector at ${failure.source} was not loaded`,
    );
  }
  logger.info(
    {
      connectors: report.loaded.map((connector) => `${connector.manifest.name}@${connector.major}`),
      failed: report.failures.length,
    },
    `loaded ${report.loaded.length} connector(s)`,
  );
}
