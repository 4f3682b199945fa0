import { createHmac } from 'node:crypto';
import type { MetaApp } from '../meta-app/meta-app-resolver';
import { MetaGraphError } from './meta-graph-error';

/** A user token as debug_token describes it. */
export interface DebuggedToken {
  readonly userId: string | null;
  readonly isValid: boolean;
  /** null when the token never expires (`expires_at: 0`). */
  readonly expiresAt: Date | null;
  readonly dataAccessExpiresAt: Date | null;
  readonly scopes: readonly string[];
}

/** A Page the user manages, with its page token. */
export interface ManagedPage {
  readonly id: string;
  readonly name: string;
  readonly accessToken: string;
}

const TIMEOUT_MS = 10_000;
/** Enough for any real account; stops a paging loop that never ends. */
const MAX_PAGE_REQUESTS = 50;

/**
 * The few Graph calls of the OAuth flow (Meta's OAuth flow): code exchange, long-lived exchange,
 * debug_token, permissions, accounts, revocation, and an app-credentials check. Every URL comes from
 * the app (the deployment's or the workspace's), so tests point it at the emulator.
 */
export class MetaGraphClient {
  constructor(private readonly app: MetaApp) {}

  private get appToken(): string {
    return `${this.app.appId}|${this.app.appSecret}`;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<string> {
    const body = await this.call('code exchange', 'GET', '/oauth/access_token', {
      client_id: this.app.appId,
      client_secret: this.app.appSecret,
      redirect_uri: redirectUri,
      code,
    });
    return requireString(body, 'access_token', 'code exchange');
  }

  async exchangeLongLived(shortLivedToken: string): Promise<string> {
    const body = await this.call('long-lived token exchange', 'GET', '/oauth/access_token', {
      grant_type: 'fb_exchange_token',
      client_id: this.app.appId,
      client_secret: this.app.appSecret,
      fb_exchange_token: shortLivedToken,
    });
    return requireString(body, 'access_token', 'long-lived token exchange');
  }

  async debugToken(token: string): Promise<DebuggedToken> {
    const body = await this.call('debug_token', 'GET', '/debug_token', {
      input_token: token,
      access_token: this.appToken,
    });
    const data = (body as { data?: Record<string, unknown> }).data ?? {};
    return {
      userId: typeof data.user_id === 'string' ? data.user_id : null,
      isValid: data.is_valid === true,
      expiresAt: unixDate(data.expires_at),
      dataAccessExpiresAt: unixDate(data.data_access_expires_at),
      scopes: Array.isArray(data.scopes)
        ? data.scopes.filter((scope): scope is string => typeof scope === 'string')
        : [],
    };
  }

  /** Granted and declined permissions of the user token. */
  async permissions(userToken: string): Promise<{ granted: string[]; declined: string[] }> {
    const body = await this.call('permissions', 'GET', '/me/permissions', { access_token: userToken });
    const entries = ((body as { data?: unknown[] }).data ?? []) as Array<{
      permission?: string;
      status?: string;
    }>;
    return {
      granted: entries
        .filter((entry) => entry.status === 'granted' && entry.permission)
        .map((entry) => entry.permission!),
      declined: entries
        .filter((entry) => entry.status === 'declined' && entry.permission)
        .map((entry) => entry.permission!),
    };
  }

  async me(userToken: string): Promise<{ id: string }> {
    const body = await this.call('me', 'GET', '/me', { access_token: userToken, fields: 'id' });
    return { id: requireString(body, 'id', 'me') };
  }

  /** Every Page the user manages (and selected in the dialog), following Graph cursor paging. */
  async managedPages(userToken: string): Promise<ManagedPage[]> {
    const pages: ManagedPage[] = [];
    let url: string | undefined = this.url('/me/accounts', {
      access_token: userToken,
      fields: 'id,name,access_token',
      limit: '100',
    });
    for (let request = 0; url && request < MAX_PAGE_REQUESTS; request += 1) {
      const body = (await this.fetchJson('accounts', 'GET', url)) as {
        data?: Array<Record<string, unknown>>;
        paging?: { next?: string };
      };
      for (const page of body.data ?? []) {
        if (typeof page.id === 'string' && typeof page.access_token === 'string') {
          pages.push({
            id: page.id,
            name: typeof page.name === 'string' ? page.name : page.id,
            accessToken: page.access_token,
          });
        }
      }
      url = body.paging?.next;
    }
    return pages;
  }

  /**
   * The fields this app is subscribed to on a Page (`GET /{page-id}/subscribed_apps`, with the Page
   * token); empty when the app is not subscribed at all.
   */
  async pageSubscribedFields(pageId: string, pageToken: string): Promise<string[]> {
    const body = (await this.call(
      'subscription check',
      'GET',
      `/${encodeURIComponent(pageId)}/subscribed_apps`,
      {
        access_token: pageToken,
        appsecret_proof: createHmac('sha256', this.app.appSecret).update(pageToken).digest('hex'),
      },
    )) as { data?: Array<{ id?: unknown; subscribed_fields?: unknown }> };
    const mine = (body.data ?? []).find((entry) => entry.id === this.app.appId);
    return Array.isArray(mine?.subscribed_fields)
      ? mine.subscribed_fields.filter((field): field is string => typeof field === 'string')
      : [];
  }

  /** `DELETE /me/permissions`: revokes the whole grant of that user token. */
  async revokeGrant(userToken: string): Promise<void> {
    await this.call('revocation', 'DELETE', '/me/permissions', { access_token: userToken });
  }

  /** Fetches an app token with the app's id and secret: proves Meta knows this pair. */
  async verifyAppCredentials(): Promise<void> {
    await this.call('app check', 'GET', '/oauth/access_token', {
      client_id: this.app.appId,
      client_secret: this.app.appSecret,
      grant_type: 'client_credentials',
    });
  }

  private url(path: string, query: Record<string, string>): string {
    const url = new URL(`${this.app.graphUrl}/${this.app.graphVersion}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  private call(
    operation: string,
    method: string,
    path: string,
    query: Record<string, string>,
  ): Promise<unknown> {
    return this.fetchJson(operation, method, this.url(path, query));
  }

  private async fetchJson(operation: string, method: string, url: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, { method, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      // The cause names the URL, which carries tokens: it is dropped on purpose.
      throw new MetaGraphError('unavailable', operation, null, null, null);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    if (response.ok) return body;
    const error =
      (body as { error?: { code?: unknown; error_subcode?: unknown; is_transient?: unknown } }).error ?? {};
    const code = typeof error.code === 'number' ? error.code : null;
    const subcode = typeof error.error_subcode === 'number' ? error.error_subcode : null;
    // Meta marks transient failures itself; a wrong secret (code 1, HTTP 400) is definite, not transient.
    const transient = response.status >= 500 || error.is_transient === true;
    throw new MetaGraphError(
      transient ? 'unavailable' : 'refused',
      operation,
      code,
      subcode,
      response.status,
    );
  }
}

function requireString(body: unknown, field: string, operation: string): string {
  const value = (body as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value === '')
    throw new MetaGraphError('refused', operation, null, null, 200);
  return value;
}

function unixDate(value: unknown): Date | null {
  return typeof value === 'number' && value > 0 ? new Date(value * 1000) : null;
}
