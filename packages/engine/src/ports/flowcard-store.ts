import type { AuditRepository } from './audit-repository';
import type { ConfigurationRepository } from './configuration-repository';
import type { ConnectorRegistryRepository } from './connector-registry-repository';
import type { FlowRepository } from './flow-repository';
import type { InviteRepository } from './invite-repository';
import type { NotificationRepository } from './notification-repository';
import type { OAuthStateRepository } from './oauth-state-repository';
import type { RunRepository } from './run-repository';
import type { SealedSecretsHolder } from './sealed-secrets-holder';
import type { SessionRepository } from './session-repository';
import type { TriggerStateRepository } from './trigger-state-repository';
import type { UserRepository } from './user-repository';
import type { WorkspaceRepository } from './workspace-repository';

/** Every repository of one storage backend (one file per port). */
export interface FlowcardStore {
  readonly workspaces: WorkspaceRepository;
  readonly users: UserRepository;
  readonly configurations: ConfigurationRepository;
  readonly oauthStates: OAuthStateRepository;
  readonly notifications: NotificationRepository;
  readonly audit: AuditRepository;
  readonly connectorRegistry: ConnectorRegistryRepository;
  /** Saved flows (specs, enabled state, trigger routes). */
  readonly flows: FlowRepository;
  /** Run history: runs and one record per step attempt, written in batches. */
  readonly runs: RunRepository;
  /** Poll cursors and claimed trigger dedupe keys per flow. */
  readonly triggerState: TriggerStateRepository;
  /** Signed-in browser sessions (cookie token hashes). */
  readonly sessions: SessionRepository;
  /** Workspace invitations (link token hashes). */
  readonly invites: InviteRepository;
  /** Every repository holding sealed secrets: what key rotation walks. */
  readonly sealedSecretHolders: readonly SealedSecretsHolder[];
  /** Creates collections' indexes; call once at startup before serving (idempotent). */
  ensureIndexes(): Promise<void>;
}
