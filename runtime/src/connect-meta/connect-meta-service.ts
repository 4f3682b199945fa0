import { randomBytes } from 'node:crypto';
import {
  hashToken,
  type Clock,
  type Configuration,
  type ConfigurationRepository,
  type ConnectorRegistry,
  type OAuthStateRepository,
  type SecretSealer,
  type UserRepository,
} from '@flowcard/engine';
import {
  CONNECT_META_ROLE,
  findConfigurationKind,
  isMetaOAuthKind,
  type ConfigurationKind,
} from '../configurations/configuration-kind';
import { mayManageConfiguration, maySeeConfiguration } from '../configurations/configuration-access';
import type { ConnectionRemovals, RemovalImpact } from '../connections/connection-removals';
import type { ConfigurationRenewals } from '../configurations/configuration-renewals';
import type { ConfigurationResolver } from '../configurations/configuration-resolver';
import type { ConfigurationService } from '../configurations/configuration-service';
import { roleAtLeast, type Principal, type WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { MetaApp, MetaAppResolver } from '../meta-app/meta-app-resolver';
import { MetaGraphClient, type ManagedPage } from './meta-graph-client';
import { MetaGraphError } from './meta-graph-error';
import { META_APP_ID, META_PAGE_ID, META_USER_ID, type MetaGrantRevoker } from './meta-grant-revoker';

/** How long a connection link (the OAuth state) stays valid (docs/architecture.md §5). */
export const STATE_TTL_MS = 10 * 60_000;
const PROVIDER = 'meta';

export { CONNECT_META_ROLE } from '../configurations/configuration-kind';

export interface ConnectStartRequest {
  readonly connector: string;
  /** Re-authorise this configuration in place (same id): asks again for declined permissions. */
  readonly configurationId?: string;
}

export interface ConnectStart {
  /** The Facebook login dialog to send the browser to. */
  readonly url: string;
  /** Binds the callback to this browser: sent back as a cookie (or header). */
  readonly sessionId: string;
  readonly expiresAt: Date;
}

export interface CallbackQuery {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly error_reason?: string;
}

export interface ConnectedPage {
  readonly configurationId: string;
  readonly nickname: string;
  readonly pageId: string;
  readonly pageName: string;
  /** True when an existing configuration was updated in place. */
  readonly reauthorized: boolean;
}

export interface ConnectResult {
  readonly connector: string;
  readonly metaUserId: string;
  readonly pages: readonly ConnectedPage[];
}

export interface ConnectMetaDependencies {
  readonly configurations: ConfigurationRepository;
  readonly oauthStates: OAuthStateRepository;
  readonly users: UserRepository;
  readonly registry: ConnectorRegistry;
  readonly sealer: SecretSealer;
  readonly metaApps: MetaAppResolver;
  readonly resolver: ConfigurationResolver;
  readonly configurationService: ConfigurationService;
  readonly revoker: MetaGrantRevoker;
  readonly clock: Clock;
  /** The runtime's public URL; the redirect URI is `${publicUrl}/v1/connect/meta/callback`. */
  readonly publicUrl: string;
  /** Told when a Page configuration is re-authorised in place, so flows parked on it resume. */
  readonly renewals?: ConfigurationRenewals;
  /** Impact and consent before a disconnect, paused flows after it, re-pointed flows on reconnect. */
  readonly removals?: ConnectionRemovals;
}

/**
 * Connect Meta (docs/architecture.md §5): start creates a single-use state (32 random bytes, stored as its
 * SHA-256, bound to user + browser session + workspace + connector, 10 minutes) and points at the
 * login dialog; the callback checks the state, exchanges the code for a long-lived user token, reads
 * expiry and permissions, lists the managed Pages and stores one configuration per Page. Every
 * failure is one of the seven messages of docs/architecture.md §5 (runtime error codes FLOWCARD_ERR_META_*).
 */
export class ConnectMetaService {
  constructor(private readonly deps: ConnectMetaDependencies) {}

  get redirectUri(): string {
    return `${this.deps.publicUrl}/v1/connect/meta/callback`;
  }

  async start(principal: Principal, request: ConnectStartRequest): Promise<ConnectStart> {
    if (!roleAtLeast(principal.role, CONNECT_META_ROLE)) throw apiError('FLOWCARD_ERR_META_ROLE_FORBIDDEN');
    const kind = this.metaKind(request.connector);
    if (request.configurationId) {
      const existing = await this.deps.configurations.findById(request.configurationId);
      if (
        !existing ||
        !mayManageConfiguration(existing, principal) ||
        existing.connector !== request.connector
      ) {
        throw apiError('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND', { id: request.configurationId });
      }
    }
    const app = await this.deps.metaApps.appFor(principal.workspace.id);
    const state = randomBytes(32).toString('base64url');
    const sessionId = randomBytes(24).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    await this.deps.oauthStates.create({
      hash: hashToken(state),
      userId: principal.user.id,
      sessionId,
      workspaceId: principal.workspace.id,
      provider: PROVIDER,
      data: {
        connector: kind.connector.manifest.name,
        kind: kind.key,
        appId: app.appId,
        ...(request.configurationId ? { configurationId: request.configurationId } : {}),
      },
      createdAt: now,
      expiresAt,
    });
    const url = new URL(`${app.dialogUrl}/${app.graphVersion}/dialog/oauth`);
    url.searchParams.set('client_id', app.appId);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('scope', scopesOf(kind).join(','));
    url.searchParams.set('response_type', 'code');
    // Always: without it Meta does not ask again for a permission this user declined once, so a
    // first-time user who declined could never connect (harmless when nothing was declined).
    url.searchParams.set('auth_type', 'rerequest');
    return { url: url.toString(), sessionId, expiresAt };
  }

  /**
   * Completes a connection. `who` is what the browser brought back: the session cookie issued at
   * start and, when the caller also presents an API key, that key's principal.
   */
  async callback(
    query: CallbackQuery,
    who: { sessionId?: string; principal?: Principal },
  ): Promise<ConnectResult> {
    if (!query.state) throw apiError('FLOWCARD_ERR_META_STATE_INVALID');
    const consumed = await this.deps.oauthStates.consume(hashToken(query.state), this.deps.clock.now());
    if (consumed.outcome === 'unknown' || consumed.state.provider !== PROVIDER)
      throw apiError('FLOWCARD_ERR_META_STATE_INVALID');
    if (consumed.outcome === 'expired') throw apiError('FLOWCARD_ERR_META_STATE_EXPIRED');
    const state = consumed.state;
    if (
      !who.sessionId ||
      who.sessionId !== state.sessionId ||
      (who.principal &&
        (who.principal.user.id !== state.userId || who.principal.workspace.id !== state.workspaceId))
    ) {
      // Someone else's browser replayed the link: the genuine one may still be on its way back, so
      // the state is put back for it (an attacker learns nothing: the answer is the same either way).
      await this.deps.oauthStates.create(state).catch(() => undefined);
      throw apiError('FLOWCARD_ERR_META_SESSION_CHANGED');
    }
    // The role is checked again: it may have been lowered while the dialog was open.
    const role = await this.roleOf(state.userId, state.workspaceId);
    if (!role || !roleAtLeast(role, CONNECT_META_ROLE)) throw apiError('FLOWCARD_ERR_META_ROLE_FORBIDDEN');
    if (query.error) {
      if (query.error === 'access_denied') throw apiError('FLOWCARD_ERR_META_PERMISSIONS_DECLINED');
      throw apiError('FLOWCARD_ERR_META_REFUSED', { code: query.error_reason ?? query.error });
    }
    if (!query.code) throw apiError('FLOWCARD_ERR_META_STATE_INVALID');

    const kind = this.metaKind(state.data.connector ?? '');
    const app = await this.deps.metaApps.appFor(state.workspaceId);
    const grant = await this.exchange(app, query.code, scopesOf(kind));
    if (grant.pages.length === 0) throw apiError('FLOWCARD_ERR_META_NO_PAGES');

    const pages: ConnectedPage[] = [];
    for (const page of grant.pages) {
      pages.push(
        await this.storePage(
          kind,
          app,
          state.workspaceId,
          state.userId,
          state.data.configurationId,
          grant,
          page,
        ),
      );
    }
    return { connector: kind.connector.manifest.name, metaUserId: grant.metaUserId, pages };
  }

  /**
   * Disconnect all: revokes the grant at Meta and removes every configuration of it in this
   * workspace. The user who authorised it, or an admin, may.
   */
  async disconnect(
    principal: Principal,
    metaUserId: string,
    options: { confirm?: boolean } = {},
  ): Promise<{ removed: number; revokedAtMeta: boolean }> {
    const all = await this.disconnectable(principal, metaUserId);
    const flows = this.deps.removals
      ? await this.deps.removals.requireConsent(principal, all, options.confirm === true)
      : [];
    let revokedAtMeta = false;
    for (const configuration of all) {
      if (!revokedAtMeta) revokedAtMeta = await this.deps.revoker.revoke(configuration);
    }
    for (const configuration of all) {
      await this.deps.configurations.delete(configuration.id);
      await this.deps.resolver.invalidate(configuration.id);
      await this.deps.configurationService.record(principal.user.id, configuration, 'configuration.revoked', {
        via: 'disconnect-all',
        revokedAtMeta,
      });
    }
    await this.deps.removals?.removed(principal, all, flows, 'disconnected');
    return { removed: all.length, revokedAtMeta };
  }

  /** What disconnecting would take away: every configuration of the grant and every flow using one. */
  async disconnectImpact(principal: Principal, metaUserId: string): Promise<RemovalImpact> {
    const all = await this.disconnectable(principal, metaUserId);
    if (!this.deps.removals) return { configurations: [], flows: [], confirmationRequired: false };
    return this.deps.removals.impact(principal, all);
  }

  /** Every configuration of the grant in this workspace, when the caller may remove them all. */
  private async disconnectable(principal: Principal, metaUserId: string): Promise<Configuration[]> {
    const all = await this.deps.configurations.findByExternalId({
      key: META_USER_ID,
      value: metaUserId,
      workspaceId: principal.workspace.id,
    });
    const mine = all.filter(
      (configuration) =>
        mayManageConfiguration(configuration, principal) || configuration.authorizedBy === principal.user.id,
    );
    if (mine.length === 0) {
      // Seeing a connection's configurations (shared with you) is not the right to remove them: 403.
      if (all.some((configuration) => maySeeConfiguration(configuration, principal)))
        throw apiError('FLOWCARD_ERR_CONFIGURATION_MANAGE_FORBIDDEN', { action: 'disconnect' });
      throw apiError('FLOWCARD_ERR_META_GRANT_NOT_FOUND', { metaUserId });
    }
    if (mine.length < all.length)
      throw apiError('FLOWCARD_ERR_CONFIGURATION_MANAGE_FORBIDDEN', { action: 'disconnect' });
    return all;
  }

  private async exchange(app: MetaApp, code: string, requiredScopes: readonly string[]): Promise<Grant> {
    const client = new MetaGraphClient(app);
    try {
      const shortLived = await client.exchangeCode(code, this.redirectUri);
      const userToken = await client.exchangeLongLived(shortLived);
      const debugged = await client.debugToken(userToken);
      const permissions = await client.permissions(userToken);
      const granted = new Set(permissions.granted.length > 0 ? permissions.granted : debugged.scopes);
      // Declined, or simply not granted: either way a card needing it would fail later.
      if (requiredScopes.some((scope) => permissions.declined.includes(scope) || !granted.has(scope))) {
        throw apiError('FLOWCARD_ERR_META_PERMISSIONS_DECLINED');
      }
      const metaUserId = debugged.userId ?? (await client.me(userToken)).id;
      const pages = await client.managedPages(userToken);
      // A Page token obtained from a long-lived user token does not expire by time (expires_at 0):
      // what Meta says about each Page token is what its configuration's expiry follows, not the
      // user token's 60 days.
      const pageExpiries = new Map<string, TokenExpiry>();
      for (const page of pages) {
        const debuggedPage = await client.debugToken(page.accessToken);
        pageExpiries.set(page.id, {
          expiresAt: debuggedPage.expiresAt,
          dataAccessExpiresAt: debuggedPage.dataAccessExpiresAt ?? debugged.dataAccessExpiresAt,
        });
      }
      return {
        userToken,
        metaUserId,
        expiresAt: debugged.expiresAt,
        dataAccessExpiresAt: debugged.dataAccessExpiresAt,
        pageExpiries,
        grantedScopes: [...granted],
        pages,
      };
    } catch (error) {
      if (error instanceof MetaGraphError) {
        if (error.kind === 'unavailable') throw apiError('FLOWCARD_ERR_META_UNAVAILABLE');
        throw apiError('FLOWCARD_ERR_META_REFUSED', { code: error.code ?? 'unknown' });
      }
      throw error;
    }
  }

  private async storePage(
    kind: ConfigurationKind,
    app: MetaApp,
    workspaceId: string,
    userId: string,
    reauthorizeId: string | undefined,
    grant: Grant,
    page: ManagedPage,
  ): Promise<ConnectedPage> {
    const connector = kind.connector.manifest.name;
    const now = this.deps.clock.now();
    const existing = await this.existingFor(connector, workspaceId, userId, reauthorizeId, page.id);
    const values = {
      ...(existing?.values ?? {}),
      pageId: page.id,
      pageName: page.name,
      graphBaseUrl: app.graphUrl,
      graphVersion: app.graphVersion,
    };
    const kept = existing?.secrets ? this.deps.sealer.open(existing.secrets) : {};
    const secrets = this.deps.sealer.seal({
      ...kept,
      accessToken: page.accessToken,
      userAccessToken: grant.userToken,
    });
    const common = {
      values,
      secrets,
      status: 'active' as const,
      expiresAt: grant.pageExpiries.get(page.id)?.expiresAt ?? null,
      dataAccessExpiresAt: grant.pageExpiries.get(page.id)?.dataAccessExpiresAt ?? grant.dataAccessExpiresAt,
      grantedScopes: grant.grantedScopes,
      consentAt: now,
      authorizedBy: userId,
      externalIds: {
        ...(existing?.externalIds ?? {}),
        [META_USER_ID]: grant.metaUserId,
        [META_PAGE_ID]: page.id,
        [META_APP_ID]: app.appId,
      },
    };
    if (existing) {
      // Same id, so flows keep working; reminders start over for the new expiry.
      const updated = await this.deps.configurations.update(existing.id, existing.version, {
        ...common,
        remindersSent: [],
      });
      await this.deps.resolver.invalidate(updated.id);
      await this.deps.configurationService.record(userId, updated, 'configuration.reauthorized', {
        via: 'connect-meta',
        pageId: page.id,
        scopes: grant.grantedScopes,
      });
      await this.deps.renewals?.renewed(updated.id);
      return {
        configurationId: updated.id,
        nickname: updated.nickname,
        pageId: page.id,
        pageName: page.name,
        reauthorized: true,
      };
    }
    const created = await this.createWithFreeNickname(
      { workspaceId, connector, kind: kind.key, ownerId: userId, ...common },
      page,
    );
    await this.deps.configurationService.record(userId, created, 'configuration.created', {
      via: 'connect-meta',
      pageId: page.id,
      scopes: grant.grantedScopes,
    });
    // Flows paused because this Page's configuration was removed run again on the new one.
    await this.deps.removals?.reconnected(created);
    return {
      configurationId: created.id,
      nickname: created.nickname,
      pageId: page.id,
      pageName: page.name,
      reauthorized: false,
    };
  }

  /** The configuration to update in place: the one being re-authorised, else this user's one for the Page. */
  private async existingFor(
    connector: string,
    workspaceId: string,
    userId: string,
    reauthorizeId: string | undefined,
    pageId: string,
  ): Promise<Configuration | undefined> {
    if (reauthorizeId) {
      const target = await this.deps.configurations.findById(reauthorizeId);
      if (
        target &&
        target.workspaceId === workspaceId &&
        target.connector === connector &&
        target.externalIds[META_PAGE_ID] === pageId
      )
        return target;
    }
    const found = await this.deps.configurations.findByExternalId({
      key: META_PAGE_ID,
      value: pageId,
      workspaceId,
      connector,
    });
    return found.find((configuration) => configuration.ownerId === userId);
  }

  private async createWithFreeNickname(
    input: Omit<Parameters<ConfigurationRepository['create']>[0], 'nickname'>,
    page: ManagedPage,
  ): Promise<Configuration> {
    try {
      return await this.deps.configurations.create({ ...input, nickname: page.name });
    } catch (error) {
      if ((error as { code?: string }).code !== 'FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN') throw error;
      // Two Pages with one name, or a hand-made configuration with it: the id tells them apart.
      return this.deps.configurations.create({ ...input, nickname: `${page.name} (${page.id})` });
    }
  }

  private metaKind(connectorName: string): ConfigurationKind {
    const metaConnectors = this.deps.registry
      .list()
      .filter((connector) => Object.values(connector.manifest.configurations).some(isMetaOAuthKind))
      .map((connector) => connector.manifest.name);
    const connector = this.deps.registry.get(connectorName);
    const key = connector
      ? Object.entries(connector.manifest.configurations).find(([, spec]) => isMetaOAuthKind(spec))?.[0]
      : undefined;
    if (!connector || !key)
      throw apiError('FLOWCARD_ERR_META_CONNECTOR_INVALID', {
        connector: connectorName,
        connectors: [...new Set(metaConnectors)].join(', '),
      });
    return findConfigurationKind(this.deps.registry, connectorName, key);
  }

  private async roleOf(userId: string, workspaceId: string): Promise<WorkspaceRole | undefined> {
    const user = await this.deps.users.findById(userId);
    return user?.memberships.find((membership) => membership.workspaceId === workspaceId)?.role;
  }
}

interface TokenExpiry {
  readonly expiresAt: Date | null;
  readonly dataAccessExpiresAt: Date | null;
}

interface Grant {
  /** Expiry of each Page token, by page id (debug_token of the Page token). */
  readonly pageExpiries: ReadonlyMap<string, TokenExpiry>;
  readonly userToken: string;
  readonly metaUserId: string;
  readonly expiresAt: Date | null;
  readonly dataAccessExpiresAt: Date | null;
  readonly grantedScopes: readonly string[];
  readonly pages: readonly ManagedPage[];
}

function scopesOf(kind: ConfigurationKind): readonly string[] {
  return kind.spec.auth.kind === 'oauth2' ? kind.spec.auth.scopes : [];
}
