/**
 * A signed-in browser session. The cookie carries a random token; only its SHA-256 is stored (`hash`),
 * so a copy of the database cannot be replayed as a cookie. `id` is a short public id for listings
 * and logs.
 */
export interface Session {
  /** hex SHA-256 of the cookie token; the lookup key. */
  readonly hash: string;
  readonly id: string;
  readonly userId: string;
  /** The workspace the session acts in; the role comes from the user's membership there. */
  readonly workspaceId: string;
  readonly createdAt: Date;
  /** Last request seen (written at most about once a minute): the idle expiry slides from here. */
  readonly lastSeenAt: Date;
  /** Absolute expiry: the session ends then, however active it is. */
  readonly expiresAt: Date;
}

export type NewSession = Omit<Session, 'lastSeenAt'> & { readonly lastSeenAt?: Date };

export interface SessionRepository {
  /** Throws FLOWCARD_ERR_STORE_DUPLICATE when the hash exists. */
  create(session: NewSession): Promise<Session>;
  findByHash(hash: string): Promise<Session | null>;
  /** Moves lastSeenAt forward (never back); cheap and unversioned. */
  touch(hash: string, at: Date): Promise<void>;
  /** Signs one session out; false when it was already gone. */
  delete(hash: string): Promise<boolean>;
  /** Signs a user out everywhere, or only in one workspace; returns how many sessions ended. */
  deleteByUser(userId: string, workspaceId?: string): Promise<number>;
  /**
   * Housekeeping: removes sessions past their absolute expiry (`expiresAt` before `now`) or idle
   * since before `idleBefore`; returns how many.
   */
  deleteExpired(now: Date, idleBefore: Date): Promise<number>;
}
