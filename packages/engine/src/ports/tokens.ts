/**
 * Binding tokens for the ports, so the runtime binds and injects by port rather than by class.
 * `Symbol.for` keeps them equal even if two copies of this module are loaded.
 */
export const PortTokens = {
  Clock: Symbol.for('flowcard.port.Clock'),
  KeyProvider: Symbol.for('flowcard.port.KeyProvider'),
  FlowcardStore: Symbol.for('flowcard.port.FlowcardStore'),
  WorkspaceRepository: Symbol.for('flowcard.port.WorkspaceRepository'),
  UserRepository: Symbol.for('flowcard.port.UserRepository'),
  ConfigurationRepository: Symbol.for('flowcard.port.ConfigurationRepository'),
  OAuthStateRepository: Symbol.for('flowcard.port.OAuthStateRepository'),
  NotificationRepository: Symbol.for('flowcard.port.NotificationRepository'),
  AuditRepository: Symbol.for('flowcard.port.AuditRepository'),
  ConnectorRegistryRepository: Symbol.for('flowcard.port.ConnectorRegistryRepository'),
  FlowRepository: Symbol.for('flowcard.port.FlowRepository'),
  RunRepository: Symbol.for('flowcard.port.RunRepository'),
  TriggerStateRepository: Symbol.for('flowcard.port.TriggerStateRepository'),
  SessionRepository: Symbol.for('flowcard.port.SessionRepository'),
  InviteRepository: Symbol.for('flowcard.port.InviteRepository'),
} as const;
