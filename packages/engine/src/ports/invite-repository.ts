import type { WorkspaceRole } from './user-repository';

/**
 * An invitation to join a workspace. The link carries a random token; only its SHA-256 is stored
 * (`hash`). Single use: accepting sets `acceptedAt` with a guarded update, so of two concurrent
 * accepts exactly one wins. Accepted, revoked and expired invites are kept for the team's list.
 */
export interface Invite {
  readonly id: string;
  /** hex SHA-256 of the link's token. */
  readonly hash: string;
  readonly workspaceId: string;
  /** Lower-cased. */
  readonly email: string;
  readonly role: WorkspaceRole;
  readonly invitedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  readonly acceptedBy: string | null;
  readonly revokedAt: Date | null;
}

export type NewInvite = Omit<Invite, 'acceptedAt' | 'acceptedBy' | 'revokedAt'>;

export interface InviteRepository {
  /** Throws FLOWCARD_ERR_STORE_DUPLICATE on a reused id or hash. */
  create(invite: NewInvite): Promise<Invite>;
  findByHash(hash: string): Promise<Invite | null>;
  /** The workspace's invites, newest first. */
  listByWorkspace(workspaceId: string): Promise<Invite[]>;
  /**
   * Marks the invite used by `userId`. False when it was already accepted or revoked (or is
   * unknown): the caller lost the race and must not add the member. Expiry is the caller's check.
   */
  markAccepted(id: string, userId: string, at: Date): Promise<boolean>;
  /** Revokes a pending invite of the workspace; false when unknown there, accepted or already revoked. */
  revoke(id: string, workspaceId: string, at: Date): Promise<boolean>;
}
