/**
 * A pending OAuth dialog (docs/architecture.md §5): random state, stored only as its hash, bound to the user,
 * session and workspace that started it.
 */
export interface OAuthState {
  /** hex SHA-256 of the state sent to the provider. */
  readonly hash: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly workspaceId: string;
  /** e.g. "meta". */
  readonly provider: string;
  /** Small non-secret context to resume with (return URL, configuration to reauthorise…). */
  readonly data: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export type NewOAuthState = Omit<OAuthState, 'data'> & { readonly data?: Readonly<Record<string, string>> };

/**
 * consumed: the state was valid and is now gone; expired: it existed but was past expiresAt (it is
 * gone too: single use either way); unknown: never existed, altered, or already used.
 */
export type OAuthStateConsumption =
  | { readonly outcome: 'consumed'; readonly state: OAuthState }
  | { readonly outcome: 'expired'; readonly state: OAuthState }
  | { readonly outcome: 'unknown' };

export interface OAuthStateRepository {
  /** Throws FLOWCARD_ERR_STORE_DUPLICATE when the hash exists. */
  create(state: NewOAuthState): Promise<OAuthState>;
  /** Atomically takes the state: of two concurrent callers exactly one gets it. */
  consume(hash: string, now: Date): Promise<OAuthStateConsumption>;
  /** Housekeeping: removes states that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}
