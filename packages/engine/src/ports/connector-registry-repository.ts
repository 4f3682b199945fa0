import type { LifecycleSpec } from '@flowcard/schemas';

// Re-exported so stores can name the lifecycle type without depending on the schemas package.
export type { LifecycleSpec };

/** Plain JSON as parsed from a connector package file. */
export type JsonObject = { readonly [key: string]: unknown };

export type ConnectorLifecycleState = 'active' | 'deprecated' | 'sunset';

/** One card file of a bundle. */
export interface RegistryCard {
  /** The card key, e.g. "send-message". */
  readonly key: string;
  readonly spec: JsonObject;
}

/** One handler module of a bundle, as source. */
export interface RegistryHandlerSource {
  /** Path inside the package, e.g. "handlers/list-pages.ts". */
  readonly path: string;
  readonly source: string;
}

/** A published, immutable connector version (what `flowcard connector publish` stores). */
export interface ConnectorBundle {
  readonly name: string;
  /** Semver, e.g. "1.4.0" or "2.0.0-beta.1". */
  readonly version: string;
  readonly manifest: JsonObject;
  readonly cards: readonly RegistryCard[];
  readonly handlers: readonly RegistryHandlerSource[];
  /** Hash of the bundle's content (computed by the publisher), to detect identical republishes. */
  readonly contentHash: string;
  /** The manifest's lifecycle state. */
  readonly lifecycle: ConnectorLifecycleState;
  readonly publishedBy: string | null;
  /**
   * The workspace that published it for itself (only that workspace sees and runs it); null: a
   * deployment connector, installed by the operator for every workspace. A name belongs to one scope.
   */
  readonly workspaceId: string | null;
}

export interface RegistryEntry extends ConnectorBundle {
  readonly id: string;
  /** Parsed from `version`. */
  readonly major: number;
  readonly publishedAt: Date;
  /**
   * Set by setLifecycle: replaces the manifest's `lifecycle` for this version (a service announced
   * its shutdown after the version was published). Absent until then. `lifecycle` follows its status.
   */
  readonly lifecycleOverride?: LifecycleSpec;
  /** When setLifecycle last changed this entry: how running runtimes notice the change. */
  readonly lifecycleChangedAt?: Date;
}

export type NewRegistryEntry = Omit<ConnectorBundle, 'publishedBy' | 'workspaceId'> & {
  readonly publishedBy?: string | null;
  readonly workspaceId?: string | null;
};

/**
 * Published connector bundles. Entries are immutable: a name + version is published once.
 * Versions order by semver (major, minor, patch; a release above its pre-releases; pre-release
 * tags compared as text).
 */
export interface ConnectorRegistryRepository {
  /**
   * Throws FLOWCARD_ERR_REGISTRY_VERSION_EXISTS when name@version exists, and a TypeError when the
   * version is not semver.
   */
  publish(bundle: NewRegistryEntry): Promise<RegistryEntry>;
  find(name: string, version: string): Promise<RegistryEntry | null>;
  /**
   * Highest release with this major (flows pin connector@major, like npm's ^major); pre-releases
   * only when the major has no release yet; null when none.
   */
  latestOfMajor(name: string, major: number): Promise<RegistryEntry | null>;
  /** All versions of a connector, highest first. */
  listVersions(name: string): Promise<RegistryEntry[]>;
  /** Every published connector name, sorted. */
  listNames(): Promise<string[]>;
  /** Entries published after `after`, oldest first: how running runtimes pick up new versions. */
  listPublishedSince(after: Date): Promise<RegistryEntry[]>;
  /**
   * Replaces the lifecycle of one published version (status, message, dates) and stamps
   * `lifecycleChangedAt`; the only change an entry ever takes. Null when name@version is not published.
   */
  setLifecycle(name: string, version: string, lifecycle: LifecycleSpec): Promise<RegistryEntry | null>;
  /** Entries whose lifecycle was set after `after`, oldest change first: how running runtimes pick up lifecycle changes. */
  listLifecycleChangedSince(after: Date): Promise<RegistryEntry[]>;
}
