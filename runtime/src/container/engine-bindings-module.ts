import {
  CardExecutor,
  ConnectorRegistry,
  EnvKeyProvider,
  HandlerSandbox,
  PublishedConnectorLoader,
  SecretSealer,
} from '@flowcard/engine';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { sep } from 'node:path';
import type { ResolvedConfig } from '../config/runtime-config';
import { repositoryConnectorsDir } from '../catalog/load-connectors';
import { pinoCardLogger } from '../logging/pino-card-logger';
import { PUBLISHED_CONNECTORS_POLL_MS } from '../services/published-connectors-service';
import { Ports } from './port-tokens';
import { RuntimeTokens } from './runtime-tokens';

/**
 * Engine services built from the runtime's configuration: the clock, the key provider (master keys
 * from FLOWCARD_MASTER_KEYS, or the embedded ephemeral key), the secret sealer on top of it, the
 * connector registry (filled by startRuntime), the loader of published connector versions, and the
 * card executor.
 */
export function engineBindingsModule(config: ResolvedConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Ports.clock).toConstantValue({ now: () => new Date() });
    bind(Ports.keyProvider).toDynamicValue(
      () =>
        new EnvKeyProvider(new Map(config.masterKeys.map((key) => [key.id, key.key])), config.masterKeyId),
    );
    bind(Ports.secretSealer).toDynamicValue((context) => new SecretSealer(context.get(Ports.keyProvider)));
    bind(Ports.connectors).toDynamicValue(() => new ConnectorRegistry());
    bind(Ports.publishedConnectors).toDynamicValue(
      (context) =>
        new PublishedConnectorLoader({
          repository: context.get(Ports.connectorRegistry),
          registry: context.get(Ports.connectors),
          cacheDir: join(config.dataDir, 'connectors'),
          pollIntervalMs: PUBLISHED_CONNECTORS_POLL_MS,
          logger: pinoCardLogger(context.get(RuntimeTokens.logger)),
        }),
    );
    bind(Ports.handlerSandbox).toDynamicValue(
      () =>
        new HandlerSandbox({
          limits: {
            cpuMs: config.sandbox.cpuMs,
            wallMs: config.sandbox.wallMs,
            memoryMb: config.sandbox.memoryMb,
          },
          processes: config.sandbox.processes,
        }),
    );
    // Handlers of connectors this repository ships run in-process unless FLOWCARD_SANDBOX=all;
    // every other connector's (published, npm, extra folders) runs in the sandbox.
    const shipped = repositoryConnectorsDir + sep;
    bind(Ports.cardExecutor).toDynamicValue(
      (context) =>
        new CardExecutor({
          clock: context.get(Ports.clock),
          sandbox: context.get(Ports.handlerSandbox),
          sandboxes: (card) => config.sandbox.scope === 'all' || !card.connector.dir.startsWith(shipped),
        }),
    );
  });
}
