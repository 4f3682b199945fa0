import type { SealedSecrets } from './sealed-secrets';
import type { SealedSecretsHolder } from './sealed-secrets-holder';

export type ConfigurationStatus = 'active' | 'expiring' | 'expired' | 'needs_reauth' | 'revoked';

export type SharingMode = 'private' | 'workspace' | 'users';

/** Who may *use* a configuration in flows (never read its secrets). */
export interface ConfigurationSharing {
  readonly mode: SharingMode;
  /** Named users when mode is 'users'; empty otherwise. */
  readonly userIds: readonly string[];
}

/** Non-secret settings: plain JSON values as entered (secret fields live only in `secrets`). */
export type ConfigurationValues = Readonly<Record<string, string | number | boolean | null>>;

/** A saved, nicknamed set of credentials + settings for one connector (docs/architecture.md §4). */
export interface Configuration {
  readonly id: string;
  readonly workspaceId: string;
  /** Connector name, e.g. "facebook-pages". */
  readonly connector: string;
  /** The connector's configuration kind key (which auth/configuration schema it follows). */
  readonly kind: string;
  /** Unique per workspace + connector + owner. */
  readonly nickname: string;
  readonly ownerId: string;
  readonly sharing: ConfigurationSharing;
  readonly values: ConfigurationValues;
  /** Sealed secret fields; null for connectors without secrets. */
  readonly secrets: SealedSecrets | null;
  readonly status: ConfigurationStatus;
  /** When the token expires (Meta long-lived user token: 60 days). */
  readonly expiresAt: Date | null;
  /** When data access expires (Meta: 90 days). */
  readonly dataAccessExpiresAt: Date | null;
  readonly grantedScopes: readonly string[];
  readonly consentAt: Date | null;
  /** User who authorised (ran the OAuth dialog or pasted the token). */
  readonly authorizedBy: string | null;
  /**
   * Ids at the service, e.g. `{ metaPageId: "123", metaUserId: "456" }`: lets Connect Meta
   * reauthorise an existing configuration in place and webhooks route by page id.
   */
  readonly externalIds: Readonly<Record<string, string>>;
  readonly lastUsedAt: Date | null;
  /** Reminder thresholds already notified (e.g. "expiresAt:15d"), so each fires once. */
  readonly remindersSent: readonly string[];
  /** Incremented by every update; optimistic concurrency. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewConfiguration {
  readonly workspaceId: string;
  readonly connector: string;
  readonly kind: string;
  readonly nickname: string;
  readonly ownerId: string;
  readonly sharing?: ConfigurationSharing;
  readonly values?: ConfigurationValues;
  readonly secrets?: SealedSecrets | null;
  readonly status?: ConfigurationStatus;
  readonly expiresAt?: Date | null;
  readonly dataAccessExpiresAt?: Date | null;
  readonly grantedScopes?: readonly string[];
  readonly consentAt?: Date | null;
  readonly authorizedBy?: string | null;
  readonly externalIds?: Readonly<Record<string, string>>;
}

/**
 * Fields an update may change (ownerId changes on transfer). Omitted = unchanged; `null` clears a
 * nullable field. Arrays and maps are replaced whole (no partial array operators: docs/architecture.md §8).
 */
export type ConfigurationPatch = Partial<Omit<NewConfiguration, 'workspaceId' | 'connector' | 'kind'>> & {
  readonly remindersSent?: readonly string[];
};

export interface ListUsableQuery {
  readonly workspaceId: string;
  readonly userId: string;
  /** Only this connector. */
  readonly connector?: string;
}

export interface ListByWorkspaceQuery {
  readonly workspaceId: string;
  readonly connector?: string;
}

/** What the lifecycle scheduler scans: configurations in `statuses` with an expiry at or before `dueBefore`. */
export interface LifecycleScanQuery {
  readonly statuses: readonly ConfigurationStatus[];
  /** Matches when expiresAt <= dueBefore or dataAccessExpiresAt <= dueBefore. */
  readonly dueBefore: Date;
  /** Page after this id (results are ordered by id). */
  readonly afterId?: string;
  readonly limit: number;
}

export interface FindByExternalIdQuery {
  /** e.g. "metaPageId". */
  readonly key: string;
  readonly value: string;
  /** Restrict to a workspace (Connect Meta); omit for webhook routing across workspaces. */
  readonly workspaceId?: string;
  readonly connector?: string;
}

/**
 * Saved configurations. Throws FlowcardErrors: FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN on a
 * duplicate nickname (create, rename, transfer), FLOWCARD_ERR_STORE_VERSION_CONFLICT when
 * `expectedVersion` is stale, FLOWCARD_ERR_STORE_NOT_FOUND when the id is unknown.
 */
export interface ConfigurationRepository extends SealedSecretsHolder {
  create(input: NewConfiguration): Promise<Configuration>;
  findById(id: string): Promise<Configuration | null>;
  /** Several at once (flow loading); unknown ids are skipped. */
  findByIds(ids: readonly string[]): Promise<Configuration[]>;
  /** What the user may use: owned by them, shared with the workspace, or shared with them by name. Ordered by nickname. */
  listUsableBy(query: ListUsableQuery): Promise<Configuration[]>;
  /** Every configuration of the workspace (admins), ordered by nickname. */
  listByWorkspace(query: ListByWorkspaceQuery): Promise<Configuration[]>;
  /** Configurations carrying `externalIds[key] === value`, ordered by id. */
  findByExternalId(query: FindByExternalIdQuery): Promise<Configuration[]>;
  /** Lifecycle scan; see LifecycleScanQuery. */
  listDueForLifecycle(query: LifecycleScanQuery): Promise<Configuration[]>;
  /** Applies `patch` if the stored version is `expectedVersion`; returns the new state (version + 1). */
  update(id: string, expectedVersion: number, patch: ConfigurationPatch): Promise<Configuration>;
  /** Records use without a version bump (never conflicts with an edit). */
  touchLastUsed(id: string, at: Date): Promise<void>;
  /** Deletes; with `expectedVersion`, only that version (else conflict). False when already gone. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}
