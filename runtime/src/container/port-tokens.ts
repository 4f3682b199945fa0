import {
  PortTokens,
  type CardExecutor,
  type HandlerSandbox,
  type ConnectorRegistry,
  type PublishedConnectorLoader,
  type SecretSealer,
  type AuditRepository,
  type Clock,
  type ConfigurationRepository,
  type ConnectorRegistryRepository,
  type FlowcardStore,
  type InviteRepository,
  type KeyProvider,
  type NotificationRepository,
  type OAuthStateRepository,
  type SessionRepository,
  type UserRepository,
  type WorkspaceRepository,
} from '@flowcard/engine';
import { token, type Token } from './token';

/**
 * The engine's port tokens with the types they are bound to, so route modules and services can
 * declare them as typed dependencies. The symbols are the engine's own (Symbol.for), not copies.
 */
export const Ports = {
  clock: PortTokens.Clock as Token<Clock>,
  keyProvider: PortTokens.KeyProvider as Token<KeyProvider>,
  store: PortTokens.FlowcardStore as Token<FlowcardStore>,
  workspaces: PortTokens.WorkspaceRepository as Token<WorkspaceRepository>,
  users: PortTokens.UserRepository as Token<UserRepository>,
  configurations: PortTokens.ConfigurationRepository as Token<ConfigurationRepository>,
  oauthStates: PortTokens.OAuthStateRepository as Token<OAuthStateRepository>,
  notifications: PortTokens.NotificationRepository as Token<NotificationRepository>,
  audit: PortTokens.AuditRepository as Token<AuditRepository>,
  connectorRegistry: PortTokens.ConnectorRegistryRepository as Token<ConnectorRegistryRepository>,
  sessions: PortTokens.SessionRepository as Token<SessionRepository>,
  invites: PortTokens.InviteRepository as Token<InviteRepository>,
  /** Envelope encryption of configuration secrets (the engine has no token for it; the runtime binds it). */
  secretSealer: token<SecretSealer>('engine.SecretSealer'),
  /** The connectors this process can run; loaded by startRuntime before serving. */
  connectors: token<ConnectorRegistry>('engine.ConnectorRegistry'),
  /** Installs published connector versions into `connectors` (hot-load); one per process. */
  publishedConnectors: token<PublishedConnectorLoader>('engine.PublishedConnectorLoader'),
  /** Runs one card; shared so its HTTP keep-alive pool and page-token cache are shared. */
  cardExecutor: token<CardExecutor>('engine.CardExecutor'),
  /** The pool of sandbox processes connector handler code runs in (see docs/decisions/0006). */
  handlerSandbox: token<HandlerSandbox>('engine.HandlerSandbox'),
} as const;
