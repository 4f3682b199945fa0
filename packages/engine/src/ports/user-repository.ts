/** A user's role in one workspace. */
export type WorkspaceRole = 'owner' | 'admin' | 'member';

export interface WorkspaceMembership {
  readonly workspaceId: string;
  readonly role: WorkspaceRole;
}

export interface User {
  readonly id: string;
  /** Lower-cased; unique. */
  readonly email: string;
  readonly name: string;
  readonly memberships: readonly WorkspaceMembership[];
  /** Last request of any of the user's sessions or keys (written at most about once a minute). */
  readonly lastSeenAt: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewUser {
  readonly email: string;
  readonly name?: string;
  readonly memberships?: readonly WorkspaceMembership[];
}

/**
 * An API key as stored: never the key itself, only its SHA-256 hash (see secrets/api-key.ts). `id` is
 * the public prefix id embedded in the key, so a key can be named in logs and revoked by id.
 */
export interface ApiKey {
  readonly id: string;
  readonly userId: string;
  /** The workspace the key acts in; the role comes from the user's membership there. */
  readonly workspaceId: string;
  readonly name: string;
  /** hex SHA-256 of the whole key. */
  readonly hash: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly userId: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly hash: string;
}

/** What an API key resolves to. */
export interface ApiKeyIdentity {
  readonly user: User;
  readonly apiKey: ApiKey;
  /** The user's role in the key's workspace, or null when the membership was removed. */
  readonly role: WorkspaceRole | null;
}

/**
 * Users, their workspace memberships, and their API keys (separate documents, looked up by hash).
 */
export interface UserRepository {
  /** Throws FLOWCARD_ERR_USER_EMAIL_TAKEN when the (case-insensitive) email exists. */
  create(input: NewUser): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /** Members of a workspace, by id. */
  listByWorkspace(workspaceId: string): Promise<User[]>;
  /**
   * Adds or changes the user's role in a workspace (retries internally on concurrent edits).
   * Memberships stay in the order they were added (a role change keeps its place).
   */
  setMembership(userId: string, workspaceId: string, role: WorkspaceRole): Promise<User>;
  /** Removes the user's membership; returns the user (unchanged when not a member). */
  removeMembership(userId: string, workspaceId: string): Promise<User>;
  /** True once any user exists (first-run setup is offered until then). */
  hasAny(): Promise<boolean>;
  /** Renames; last write wins (a profile field). */
  setName(userId: string, name: string): Promise<void>;
  /**
   * Stores the user's password hash (a self-describing string: algorithm, parameters, salt, hash).
   * Kept apart from `User` so no listing or answer can carry it by accident.
   */
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** The stored password hash, or null when the user has none (API-key-only users). */
  findPasswordHash(userId: string): Promise<string | null>;
  /** Records the user's last activity; cheap and unversioned. */
  touchLastSeen(userId: string, at: Date): Promise<void>;

  /** Stores an API key record; throws FLOWCARD_ERR_STORE_DUPLICATE on a reused id or hash. */
  createApiKey(input: NewApiKey): Promise<ApiKey>;
  /** The user behind a non-revoked key with this hash, or null. */
  findByApiKeyHash(hash: string): Promise<ApiKeyIdentity | null>;
  listApiKeys(userId: string): Promise<ApiKey[]>;
  /** Marks the key revoked; false when unknown or already revoked. */
  revokeApiKey(id: string, at: Date): Promise<boolean>;
  /** Records use; cheap and unversioned. */
  touchApiKey(id: string, at: Date): Promise<void>;
}
