import { createHash } from 'node:crypto';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { AuthSpec } from '@flowcard/schemas';
import { CardError, type CardHttpClient, type CardHttpRequest, type CardHttpResponse } from '@flowcard/sdk';
import { cardErrorFor, classifyHttpError } from '../errors/classify-http-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';
import type { ResolvedConfiguration } from '../executor/execute-card.types';
import { applyAuth, NO_AUTH, type AppliedAuth } from './applied-auth';
import { createAxiosInstance, type AxiosInstanceOptions } from './create-axios-instance';
import type { OutgoingRequest } from './outgoing-request';
import { PageTokenCache } from './page-token-cache';
import { parseUsageHeaders, type UsageHeaders } from './usage-headers';

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  data: unknown;
  /** Meta usage headers, when the service sent them (for the shared rate limiter). */
  usage?: UsageHeaders;
}

/** Whom a call is for: the configuration kind's auth, the configuration, and the rendered base URL. */
export interface CallTarget {
  auth: AuthSpec;
  configuration: ResolvedConfiguration;
  baseUrl: string;
}

/** Which token a call carries, after templates: the configuration's, none, or a page's (by page id). */
export type CallAuth = 'configuration' | 'none' | { pageId: string };

export interface ConnectorHttpClientOptions extends AxiosInstanceOptions {
  /** An axios instance to use instead of the tuned default (the benchmark compares both). */
  axios?: AxiosInstance;
  pageTokens?: PageTokenCache;
}

/**
 * Every HTTP call of a card goes through here: credentials applied (bearer header or access_token,
 * appsecret_proof, basic), page tokens fetched and cached, usage headers recorded, and every non-2xx
 * answer or network failure thrown as a classified CardError with tokens scrubbed.
 */
export class ConnectorHttpClient {
  private readonly axios: AxiosInstance;
  private readonly pageTokens: PageTokenCache;
  private readonly timeoutMs: number;

  constructor(options: ConnectorHttpClientOptions = {}) {
    this.axios = options.axios ?? createAxiosInstance(options);
    this.pageTokens = options.pageTokens ?? new PageTokenCache();
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends one request with the token `auth` names; throws a classified CardError unless 2xx. */
  async call(
    target: CallTarget,
    request: OutgoingRequest,
    auth: CallAuth = 'configuration',
  ): Promise<HttpResponse> {
    // No credential is sent, but the configuration's secrets are still scrubbed from any error text:
    // a handler may have put one in a header or URL itself.
    if (auth === 'none')
      return this.send(request, { ...NO_AUTH, secrets: Object.values(target.configuration.secrets) });
    if (auth === 'configuration')
      return this.send(request, credentialsOrThrow(target.auth, target.configuration));
    const key = this.pageTokenKey(target, auth.pageId);
    const token = await this.pageTokens.get(key, () =>
      this.fetchPageToken(target, auth.pageId, request.signal),
    );
    try {
      return await this.send(request, credentialsOrThrow(target.auth, target.configuration, token));
    } catch (error) {
      // A refused page token may have been rotated (password change, role loss): fetch anew next time.
      if (error instanceof CardError && error.signal === 'auth') this.pageTokens.delete(key);
      throw error;
    }
  }

  /** The client a handler gets: base URL and credentials applied; non-2xx throws a CardError. */
  forHandler(target: CallTarget, signal?: AbortSignal): CardHttpClient {
    return {
      request: async <T>(request: CardHttpRequest): Promise<CardHttpResponse<T>> => {
        const url = request.url ?? joinUrl(target.baseUrl, request.path ?? '/');
        const auth: CallAuth =
          request.auth === undefined || request.auth === 'configuration'
            ? 'configuration'
            : request.auth === 'none'
              ? 'none'
              : { pageId: request.auth.pageToken };
        const response = await this.call(
          target,
          {
            method: request.method,
            url,
            query: request.query,
            headers: request.headers,
            body: request.body,
            bodyType: request.bodyType,
            signal,
          },
          auth,
        );
        return { status: response.status, headers: response.headers, data: response.data as T };
      },
    };
  }

  /** Number of page tokens held (tests and diagnostics). */
  get cachedPageTokens(): number {
    return this.pageTokens.size;
  }

  private async send(request: OutgoingRequest, auth: AppliedAuth): Promise<HttpResponse> {
    const url = withQuery(request.url, request.query, auth.query);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...request.headers,
      ...auth.headers,
    };
    let data: unknown;
    if (request.body !== undefined && request.method !== 'GET') {
      if (request.bodyType === 'form') {
        data = formEncode(request.body);
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else {
        data = request.body;
        headers['content-type'] ??= 'application/json';
      }
    }
    let response: AxiosResponse;
    try {
      response = await this.axios.request({
        method: request.method,
        url,
        headers,
        data,
        signal: request.signal,
      });
    } catch (error) {
      throw classifyHttpError(
        { kind: 'network', error, url, timeoutMs: this.timeoutMs },
        { secrets: auth.secrets },
      );
    }
    const responseHeaders = plainHeaders(response.headers);
    if (response.status >= 200 && response.status < 300) {
      const usage = parseUsageHeaders(responseHeaders);
      return {
        status: response.status,
        headers: responseHeaders,
        data: response.data,
        ...(usage ? { usage } : {}),
      };
    }
    throw classifyHttpError(
      { kind: 'response', status: response.status, headers: responseHeaders, body: response.data, url },
      { secrets: auth.secrets },
    );
  }

  /** GET /{page-id}?fields=access_token with the configuration's (user) token. */
  private async fetchPageToken(target: CallTarget, pageId: string, signal?: AbortSignal): Promise<string> {
    const response = await this.send(
      {
        method: 'GET',
        url: joinUrl(target.baseUrl, `/${encodeURIComponent(pageId)}`),
        query: { fields: 'access_token' },
        signal,
      },
      credentialsOrThrow(target.auth, target.configuration),
    );
    const token = (response.data as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== 'string' || token === '')
      throw cardErrorFor(codes.FLOWCARD_ERR_PAGE_TOKEN_UNAVAILABLE, { pageId });
    return token;
  }

  private pageTokenKey(target: CallTarget, pageId: string): string {
    const tokenField = 'tokenField' in target.auth ? target.auth.tokenField : '';
    // The token's hash (not the token) is in the key: a rotated user token gets fresh page tokens.
    const hash = createHash('sha256')
      .update(target.configuration.secrets[tokenField] ?? '')
      .digest('base64url')
      .slice(0, 22);
    return `${target.configuration.id ?? ''}:${hash}:${pageId}`;
  }
}

function credentialsOrThrow(
  auth: AuthSpec,
  configuration: ResolvedConfiguration,
  token?: string,
): AppliedAuth {
  const applied = applyAuth(auth, configuration, token);
  if (applied instanceof CardError) throw applied;
  return applied;
}

/** base URL + path with exactly one slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return path.startsWith('/') ? base + path : `${base}/${path}`;
}

function withQuery(
  url: string,
  query: Readonly<Record<string, unknown>> | undefined,
  authQuery: Readonly<Record<string, string>>,
): string {
  const hasQuery = query !== undefined && Object.keys(query).length > 0;
  const hasAuth = Object.keys(authQuery).length > 0;
  if (!hasQuery && !hasAuth) return url;
  const parsed = new URL(url);
  if (hasQuery) {
    for (const [key, value] of Object.entries(query)) {
      const text = parameterText(value);
      if (text !== undefined) parsed.searchParams.set(key, text);
    }
  }
  // set, not append: a Graph paging link already carries access_token; never send two.
  for (const [key, value] of Object.entries(authQuery)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

function parameterText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function formEncode(body: unknown): string {
  const form = new URLSearchParams();
  if (body !== null && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const text = parameterText(value);
      if (text !== undefined) form.append(key, text);
    }
  }
  return form.toString();
}

function plainHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
