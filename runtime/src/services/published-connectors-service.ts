import { Ports } from '../container/port-tokens';
import { defineService } from './runtime-service';

/** How often every process asks the registry collection for new connector versions. */
export const PUBLISHED_CONNECTORS_POLL_MS = 2000;

/**
 * Hot-load: installs the newest published version of every connector major at start, then polls
 * the registry collection and swaps in newer versions as they are published (`flowcard connector
 * publish`). Runs in every role: the API serves the catalog and options cards, workers run steps.
 * The loader itself is bound once per process (engine bindings) so step workers can also ask it to
 * look now, before declaring a card missing.
 */
export const publishedConnectorsService = defineService({
  name: 'published-connectors',
  roles: ['api', 'worker', 'scheduler'],
  dependencies: {},
  optional: { repository: Ports.connectorRegistry, loader: Ports.publishedConnectors },
  create({ repository, loader }) {
    if (!repository || !loader) return { start: async () => undefined, stop: async () => undefined };
    return { start: () => loader.start(), stop: () => loader.stop() };
  },
});
