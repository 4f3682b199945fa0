import { ContainerModule, type ResolutionContext } from 'inversify';
import type { Connection } from 'mongoose';
import { PortTokens, type Clock, type FlowcardStore } from '@flowcard/engine';
import { createMongoStore } from './create-mongo-store';
import { StoreTokens } from './store-tokens';

/**
 * Binds FlowcardStore and each repository port (PortTokens.*) as singletons. Needs
 * StoreTokens.Connection bound; uses PortTokens.Clock when bound. The runtime must still
 * `await store.ensureIndexes()` once at startup (a binding cannot be async here).
 */
export const StoreContainerModule = new ContainerModule(({ bind }) => {
  bind<FlowcardStore>(PortTokens.FlowcardStore)
    .toDynamicValue((context) =>
      createMongoStore(context.get<Connection>(StoreTokens.Connection), {
        clock: context.get<Clock>(PortTokens.Clock, { optional: true }),
      }),
    )
    .inSingletonScope();
  const fromStore =
    <K extends keyof FlowcardStore>(key: K) =>
    (context: ResolutionContext): FlowcardStore[K] =>
      context.get<FlowcardStore>(PortTokens.FlowcardStore)[key];
  bind(PortTokens.WorkspaceRepository).toDynamicValue(fromStore('workspaces')).inSingletonScope();
  bind(PortTokens.UserRepository).toDynamicValue(fromStore('users')).inSingletonScope();
  bind(PortTokens.ConfigurationRepository).toDynamicValue(fromStore('configurations')).inSingletonScope();
  bind(PortTokens.OAuthStateRepository).toDynamicValue(fromStore('oauthStates')).inSingletonScope();
  bind(PortTokens.NotificationRepository).toDynamicValue(fromStore('notifications')).inSingletonScope();
  bind(PortTokens.AuditRepository).toDynamicValue(fromStore('audit')).inSingletonScope();
  bind(PortTokens.ConnectorRegistryRepository)
    .toDynamicValue(fromStore('connectorRegistry'))
    .inSingletonScope();
  bind(PortTokens.FlowRepository).toDynamicValue(fromStore('flows')).inSingletonScope();
  bind(PortTokens.RunRepository).toDynamicValue(fromStore('runs')).inSingletonScope();
  bind(PortTokens.TriggerStateRepository).toDynamicValue(fromStore('triggerState')).inSingletonScope();
  bind(PortTokens.SessionRepository).toDynamicValue(fromStore('sessions')).inSingletonScope();
  bind(PortTokens.InviteRepository).toDynamicValue(fromStore('invites')).inSingletonScope();
});
