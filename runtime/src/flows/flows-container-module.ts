import type { PublishedConnectorLoader } from '@flowcard/engine';
import { ContainerModule } from 'inversify';
import type { ResolvedConfig } from '../config/runtime-config';
import { ConfigurationTokens } from '../configurations/configuration-tokens';
import { ConnectionTokens } from '../connections/connection-tokens';
import { Ports } from '../container/port-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { ConfigurationStatusReporter } from './configuration-status-reporter';
import { FlowEngine } from './flow-engine';
import { FlowService } from './flow-service';
import { flowStorePorts, type FlowStorePorts } from './flow-store-ports';
import { FlowTokens } from './flow-tokens';
import { MetaAppSubscription } from './meta-app-subscription';
import { StepConfigurations } from './step-configurations';

/**
 * The flow engine wired to the runtime: the store's flow ports, the connector registry and card
 * executor, configurations through the runtime's resolver (one cache, invalidated over Redis), and
 * `needs_reauth` through the configurations area's marker.
 */
export function flowsContainerModule(config: ResolvedConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(FlowTokens.ports).toDynamicValue((c) => flowStorePorts(c.get(Ports.store)));
    bind(FlowTokens.engine).toDynamicValue(
      (c) =>
        new FlowEngine({
          config,
          logger: c.get(RuntimeTokens.logger),
          ports: c.get(FlowTokens.ports),
          registry: c.get(Ports.connectors),
          executor: c.get(Ports.cardExecutor),
          configurations: new StepConfigurations(c.get(ConfigurationTokens.resolver)),
          refreshConnectors: () => c.get<PublishedConnectorLoader>(Ports.publishedConnectors).poll(),
          blocked: c.get(ConnectionTokens.blockedRuns),
          configurationStatus: new ConfigurationStatusReporter(
            c.get(ConfigurationTokens.needsReauth),
            c.get(ConfigurationTokens.notifier),
            c.get(RuntimeTokens.logger),
          ),
        }),
    );
    bind(FlowTokens.metaAppSubscription).toDynamicValue(
      (c) => new MetaAppSubscription(config, c.get(RuntimeTokens.logger)),
    );
    bind(FlowTokens.service).toDynamicValue(
      (c) =>
        new FlowService({
          engine: c.get(FlowTokens.engine),
          flows: c.get<FlowStorePorts>(FlowTokens.ports).flows,
          triggerState: c.get<FlowStorePorts>(FlowTokens.ports).triggerState,
          registry: c.get(Ports.connectors),
          resolver: c.get(ConfigurationTokens.resolver),
          metaAppSubscription: c.get(FlowTokens.metaAppSubscription),
        }),
    );
  });
}
