import type { SealedSecrets } from './sealed-secrets';
import type { SealedSecretsHolder } from './sealed-secrets-holder';

/**
 * The workspace's own Meta app. Absent (null) means the workspace uses the deployment's shared app
 * (from the environment); Connect Meta and token exchanges use whichever applies.
 */
export interface WorkspaceMetaApp {
  readonly appId: string;
  /** `{ appSecret: "…" }` sealed with the SecretSealer. */
  readonly appSecret: SealedSecrets;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

/** A tenant. */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly metaApp: WorkspaceMetaApp | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewWorkspace {
  readonly name: string;
  /** Optional caller-chosen id (e.g. imports); generated otherwise. */
  readonly id?: string;
}

/**
 * Workspaces and their own Meta app. As a SealedSecretsHolder it exposes the sealed app secrets to
 * key rotation.
 */
export interface WorkspaceRepository extends SealedSecretsHolder {
  create(input: NewWorkspace): Promise<Workspace>;
  findById(id: string): Promise<Workspace | null>;
  /** All workspaces, oldest first. */
  list(): Promise<Workspace[]>;
  /** Renames; throws FLOWCARD_ERR_STORE_VERSION_CONFLICT / FLOWCARD_ERR_STORE_NOT_FOUND. */
  rename(id: string, expectedVersion: number, name: string): Promise<Workspace>;
  /**
   * Sets the workspace's own Meta app, or `null` to switch back to the shared app. Last write wins
   * (an admin setting); bumps the version. Throws FLOWCARD_ERR_STORE_NOT_FOUND.
   */
  setMetaApp(id: string, metaApp: WorkspaceMetaApp | null): Promise<Workspace>;
}
