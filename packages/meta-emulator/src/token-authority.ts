import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatorClock } from './emulator-clock';
import type { FacebookPage, PermissionGrant, TokenRecord } from './emulator-entities';
import type { EmulatorState } from './emulator-state';
import type { GraphError } from './graph-error';
import { graphErrors } from './graph-errors';
import { tokenLifetimes } from './token-lifetimes';

/**
 * Mints, validates and describes tokens. Validation follows Meta's order of checks: unknown →
 * "cannot parse", then revoked grant (458), password change (460), explicit invalidation, expiry
 * (463). Scopes are read from the user's current grant, not copied into the token, because Meta
 * applies a revoked permission to every existing token at once.
 */
export class TokenAuthority {
  private readonly appTokenRecord: TokenRecord;

  constructor(
    private readonly state: EmulatorState,
    private readonly clock: EmulatorClock,
  ) {
    this.appTokenRecord = {
      token: `${state.app.id}|${state.app.secret}`,
      kind: 'app',
      appId: state.app.id,
      issuedAt: 0,
      expiresAt: 0,
      longLived: true,
      sessionVersion: 0,
      grantId: 0,
    };
  }

  get appToken(): string {
    return this.appTokenRecord.token;
  }

  /** The record behind a token, or the Graph error Meta would answer with. */
  inspect(token: string): { record?: TokenRecord; error?: GraphError } {
    const record = this.state.tokens.get(token);
    if (!record) {
      if (token === this.appTokenRecord.token) return { record: this.appTokenRecord };
      if (token.includes('|')) return { error: graphErrors.badAppToken() };
      if (this.state.retiredTokens.has(token)) return { error: graphErrors.tokenInvalidated() };
      return { error: graphErrors.cannotParseToken() };
    }
    return { record, error: this.invalidity(record) };
  }

  /** Resolves a token or throws the matching 190 error. */
  authenticate(token: string): TokenRecord {
    const { record, error } = this.inspect(token);
    if (error || !record) throw error ?? graphErrors.cannotParseToken();
    return record;
  }

  private invalidity(record: TokenRecord): GraphError | undefined {
    if (record.kind === 'workplace' || record.kind === 'impersonation') {
      if (record.invalidSubcode !== undefined) return graphErrors.tokenSubcode(record.invalidSubcode);
      if (record.kind === 'impersonation' && record.memberId) {
        const node = this.state.nodes.get(record.memberId);
        if (node?.kind !== 'member' || !node.member.active) return graphErrors.tokenInvalidated();
      }
      return undefined;
    }
    const userId = record.userId ?? '';
    const user = this.state.users.get(userId);
    if (!user) return graphErrors.cannotParseToken();
    const grant = this.state.grants.get(userId);
    if (!grant || grant.id !== record.grantId) return graphErrors.appNotInstalled(userId, record.appId);
    if (user.sessionVersion !== record.sessionVersion) return graphErrors.passwordChanged();
    if (record.invalidSubcode !== undefined) {
      return record.invalidSubcode === 463
        ? graphErrors.tokenExpired(this.clock.now(), this.clock.now())
        : graphErrors.tokenSubcode(record.invalidSubcode);
    }
    const now = this.clock.now();
    if (record.expiresAt !== 0 && record.expiresAt <= now)
      return graphErrors.tokenExpired(record.expiresAt, now);
    if (
      record.kind === 'page' &&
      record.pageId &&
      (!user.pageTasks.has(record.pageId) || !grant.pageIds.has(record.pageId))
    ) {
      return graphErrors.pageRoleLost(record.pageId);
    }
    return undefined;
  }

  grantOf(record: TokenRecord): PermissionGrant | undefined {
    return record.userId ? this.state.grants.get(record.userId) : undefined;
  }

  /** Permissions the token carries right now. */
  scopesOf(record: TokenRecord): string[] {
    if (record.kind === 'workplace' || record.kind === 'impersonation')
      return [...this.state.community.permissions];
    return [...(this.grantOf(record)?.granted ?? [])];
  }

  hasScope(record: TokenRecord, permission: string): boolean {
    // App tokens carry no user permissions: they only reach app-level edges.
    if (record.kind === 'app') return false;
    if (record.kind === 'workplace' || record.kind === 'impersonation')
      return this.state.community.permissions.has(permission);
    return this.grantOf(record)?.granted.has(permission) ?? false;
  }

  /** Throws Meta's code 200 when any of the permissions is not granted. */
  requireScopes(record: TokenRecord, ...permissions: string[]): void {
    const missing = permissions.filter((p) => !this.hasScope(record, p));
    if (missing.length > 0) throw graphErrors.missingPermission(missing);
  }

  issueUserToken(userId: string, longLived: boolean): TokenRecord {
    const user = this.state.users.get(userId);
    const grant = this.state.grants.get(userId);
    if (!user || !grant)
      throw new Error(`user ${userId} has no grant for the app: run the OAuth dialog first`);
    const now = this.clock.now();
    const record: TokenRecord = {
      token: this.state.newToken('EAAG'),
      kind: 'user',
      appId: this.state.app.id,
      userId,
      issuedAt: now,
      expiresAt: now + (longLived ? tokenLifetimes.longLivedMs : tokenLifetimes.shortLivedMs),
      longLived,
      sessionVersion: user.sessionVersion,
      grantId: grant.id,
    };
    this.state.tokens.set(record.token, record);
    return record;
  }

  /**
   * The page token a user token yields for a page: stable per (user token, page). It inherits the
   * user token's expiry unless that one is long-lived, in which case it never expires by time.
   */
  pageTokenFor(userToken: TokenRecord, page: FacebookPage): TokenRecord {
    const key = `${userToken.token}|${page.id}`;
    const existing = this.state.pageTokens.get(key);
    const existingRecord = existing ? this.state.tokens.get(existing) : undefined;
    if (existingRecord) return existingRecord;
    const record: TokenRecord = {
      ...userToken,
      token: this.state.newToken('EAAG'),
      kind: 'page',
      pageId: page.id,
      issuedAt: this.clock.now(),
      expiresAt: userToken.longLived ? 0 : userToken.expiresAt,
      invalidSubcode: undefined,
    };
    this.state.tokens.set(record.token, record);
    this.state.pageTokens.set(key, record.token);
    return record;
  }

  dataAccessExpiresAt(record: TokenRecord): number {
    const grant = this.grantOf(record);
    return grant ? grant.grantedAt + tokenLifetimes.dataAccessMs : 0;
  }

  /** Checks `appsecret_proof` when one is sent (always) or required by the app (then missing is an error too). */
  checkAppsecretProof(record: TokenRecord, proof: string | undefined): void {
    if (record.kind === 'app') return;
    const secret =
      record.kind === 'workplace' || record.kind === 'impersonation' ? undefined : this.state.app.secret;
    if (proof === undefined || proof === '') {
      if (secret && this.state.app.requireAppsecretProof) throw graphErrors.appsecretProofMissing();
      return;
    }
    if (!secret) return;
    const expected = createHmac('sha256', secret).update(record.token).digest();
    const given = Buffer.from(proof, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw graphErrors.appsecretProofInvalid();
  }
}
