import type { FlowcardStore } from '@flowcard/engine';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';
import { ConnectMetaService } from '../connect-meta/connect-meta-service';
import { BlockedRuns } from '../connections/blocked-runs';
import { ConnectionRemovals } from '../connections/connection-removals';
import { ConnectionTokens } from '../connections/connection-tokens';
import { FlowTokens } from '../flows/flow-tokens';
import type { FlowEngine } from '../flows/flow-engine';
import { StepConfigurations } from '../flows/step-configurations';
import { MetaGrantRevoker } from '../connect-meta/meta-grant-revoker';
import { Ports } from '../container/port-tokens';
import { RuntimeTokens } from '../container/runtime-tokens';
import { NeedsReauthMarker } from '../lifecycle/needs-reauth-marker';
import { SubscriptionHealth } from '../lifecycle/subscription-health';
import { TokenLifecycleSweep } from '../lifecycle/token-lifecycle-sweep';
import { MetaAppResolver } from '../meta-app/meta-app-resolver';
import { MetaAppSettings } from '../meta-app/meta-app-settings';
import { ChannelNotifier } from '../notifications/channel-notifier';
import { ConcernedNotifier } from '../notifications/concerned-notifier';
import { InAppNotificationChannel } from '../notifications/in-app-notification-channel';
import { LogNotificationChannel } from '../notifications/log-notification-channel';
import type { NotificationChannel } from '../notifications/notifier';
import { WebhookNotificationChannel } from '../notifications/webhook-notification-channel';
import { ConfigurationRenewals } from './configuration-renewals';
import { ConfigurationResolver } from './configuration-resolver';
import { ConfigurationService } from './configuration-service';
import { ConfigurationTokens } from './configuration-tokens';
import { MetaAppSecretSupplier } from './meta-app-secret-supplier';
import { ShiftableClock } from './shiftable-clock';

/**
 * Saved configurations and what surrounds them: the resolver the flow engine reads credentials
 * through, the configurations API's service, Connect Meta, the workspace Meta app, the notifier and
 * the token lifecycle. The notifier's webhook is `config.notifyWebhookUrl` (FLOWCARD_NOTIFY_WEBHOOK_URL).
 */
export function configurationsContainerModule(config: ResolvedConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const T = ConfigurationTokens;
    bind(T.clock).toDynamicValue((c) => new ShiftableClock(c.get(Ports.clock)));
    bind(T.renewals).toDynamicValue((c) => new ConfigurationRenewals(c.get(RuntimeTokens.logger)));
    bind(T.resolver).toDynamicValue(
      (c) =>
        new ConfigurationResolver(
          c.get(Ports.configurations),
          c.get(Ports.secretSealer),
          c.get(RuntimeTokens.redis),
          `${config.redisPrefix}:configurations:invalidate`,
          c.get(T.clock),
          c.get(T.metaAppSecrets),
        ),
    );
    bind(T.metaAppSecrets).toDynamicValue(
      (c) => new MetaAppSecretSupplier(c.get(Ports.connectors), c.get(T.metaApps)),
    );
    bind(T.metaApps).toDynamicValue(
      (c) => new MetaAppResolver(config.meta, c.get(Ports.workspaces), c.get(Ports.secretSealer)),
    );
    bind(T.metaGrantRevoker).toDynamicValue(
      (c) => new MetaGrantRevoker(c.get(Ports.configurations), c.get(Ports.secretSealer), c.get(T.metaApps)),
    );
    bind(T.service).toDynamicValue(
      (c) =>
        new ConfigurationService({
          configurations: c.get(Ports.configurations),
          users: c.get(Ports.users),
          audit: c.get(Ports.audit),
          sealer: c.get(Ports.secretSealer),
          registry: c.get(Ports.connectors),
          executor: c.get(Ports.cardExecutor),
          resolver: c.get(T.resolver),
          revoker: c.get(T.metaGrantRevoker),
          clock: c.get(T.clock),
          renewals: c.get(T.renewals),
          metaAppSecrets: c.get(T.metaAppSecrets),
          removals: c.get(ConnectionTokens.removals),
          subscriptions: c.get(T.subscriptionHealth),
        }),
    );
    bind(T.subscriptionHealth).toDynamicValue(
      (c) =>
        new SubscriptionHealth({
          flows: c.get<FlowcardStore>(Ports.store).flows,
          registry: c.get(Ports.connectors),
          resolver: c.get(T.resolver),
          executor: c.get(Ports.cardExecutor),
          metaApps: c.get(T.metaApps),
          // Lazily: the service itself takes this binding for its views.
          configurationService: () => c.get(T.service),
          notifier: c.get(T.concernedNotifier),
          redis: c.get(RuntimeTokens.redis),
          key: `${config.redisPrefix}:subscription-health`,
          clock: c.get(T.clock),
          logger: c.get(RuntimeTokens.logger),
          backfill: (flowIds) => c.get<FlowEngine>(FlowTokens.engine).poller.backfill(flowIds),
        }),
    );
    bind(ConnectionTokens.removals).toDynamicValue(
      (c) =>
        new ConnectionRemovals({
          flows: c.get<FlowcardStore>(Ports.store).flows,
          users: c.get(Ports.users),
          notifier: c.get(T.concernedNotifier),
          redis: c.get(RuntimeTokens.redis),
          // FlowEngine.invalidationChannel: every process drops its cached copy of a changed flow.
          flowInvalidationChannel: `${config.redisPrefix}:flows:invalidate`,
          clock: c.get(T.clock),
          logger: c.get(RuntimeTokens.logger),
        }),
    );
    bind(ConnectionTokens.blockedRuns).toDynamicValue(
      (c) =>
        new BlockedRuns({
          runs: c.get<FlowcardStore>(Ports.store).runs,
          flows: c.get<FlowcardStore>(Ports.store).flows,
          registry: c.get(Ports.connectors),
          configurations: new StepConfigurations(c.get(T.resolver)),
          executor: c.get(Ports.cardExecutor),
          // Lazily: the engine itself takes this sink for its webhook router.
          starter: () => c.get<FlowEngine>(FlowTokens.engine).starter,
          notifier: c.get(T.concernedNotifier),
          clock: c.get(T.clock),
          logger: c.get(RuntimeTokens.logger),
        }),
    );
    bind(T.connectMeta).toDynamicValue(
      (c) =>
        new ConnectMetaService({
          configurations: c.get(Ports.configurations),
          oauthStates: c.get(Ports.oauthStates),
          users: c.get(Ports.users),
          registry: c.get(Ports.connectors),
          sealer: c.get(Ports.secretSealer),
          metaApps: c.get(T.metaApps),
          resolver: c.get(T.resolver),
          configurationService: c.get(T.service),
          revoker: c.get(T.metaGrantRevoker),
          clock: c.get(T.clock),
          publicUrl: config.publicUrl,
          renewals: c.get(T.renewals),
          removals: c.get(ConnectionTokens.removals),
        }),
    );
    bind(T.metaAppSettings).toDynamicValue(
      (c) =>
        new MetaAppSettings(
          c.get(Ports.workspaces),
          c.get(T.metaApps),
          c.get(Ports.secretSealer),
          c.get(Ports.audit),
          c.get(T.clock),
        ),
    );
    bind(T.notifier).toDynamicValue((c) => {
      const logger: Logger = c.get(RuntimeTokens.logger);
      const channels: NotificationChannel[] = [
        new LogNotificationChannel(logger),
        new InAppNotificationChannel(c.get(Ports.notifications)),
      ];
      if (config.notifyWebhookUrl) channels.push(new WebhookNotificationChannel(config.notifyWebhookUrl));
      return new ChannelNotifier(channels, logger);
    });
    bind(T.concernedNotifier).toDynamicValue(
      (c) =>
        new ConcernedNotifier(
          c.get(T.notifier),
          c.get(Ports.users),
          c.get<FlowcardStore>(Ports.store).flows,
          c.get(RuntimeTokens.redis),
          `${config.redisPrefix}:notified`,
        ),
    );
    bind(T.needsReauth).toDynamicValue(
      (c) =>
        new NeedsReauthMarker(
          c.get(Ports.configurations),
          c.get(T.service),
          c.get(T.resolver),
          c.get(T.concernedNotifier),
          c.get(T.clock),
        ),
    );
    bind(T.lifecycleSweep).toDynamicValue(
      (c) =>
        new TokenLifecycleSweep(
          c.get(Ports.configurations),
          c.get(T.service),
          c.get(T.resolver),
          c.get(T.concernedNotifier),
          c.get(T.clock),
          c.get<Logger>(RuntimeTokens.logger),
          config.reminderDays,
        ),
    );
  });
}
