import { CardError, defineHandler, type CardHttpRequest } from '@flowcard/sdk';

interface HttpRequestInput {
  method?: CardHttpRequest['method'];
  url: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  bodyType?: 'json' | 'form' | 'raw';
  body?: unknown;
}

interface HttpRequestOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * One call to any URL. Credentials come from the step's HTTP configuration (authType and its
 * secrets) and are added here, so the engine's client sends the request with `auth: 'none'` and
 * still scrubs every secret from errors; non-2xx answers throw through the common classifier
 * (429/5xx retry, other 4xx fail).
 */
export default defineHandler<HttpRequestInput, HttpRequestOutput>(async (ctx, input) => {
  const headers: Record<string, string> = { ...input.headers };
  const query: Record<string, string | number | boolean> = { ...input.query };
  applyCredentials(ctx.config, ctx.secrets ?? {}, headers, query);
  const absolute = /^https?:\/\//i.test(input.url);
  if (!absolute && !input.url.startsWith('/'))
    throw new CardError(
      'invalid',
      `URL "${input.url}" is neither absolute (http:// or https://) nor a path starting with /`,
    );
  if (!absolute && typeof ctx.config.baseUrl !== 'string')
    throw new CardError(
      'invalid',
      `URL "${input.url}" is a path, but the configuration has no base URL: write the full URL or set one`,
    );
  const bodyType = input.bodyType ?? 'json';
  const hasBody = input.body !== undefined && (input.method ?? 'GET') !== 'GET';
  if (hasBody && bodyType === 'raw' && typeof input.body !== 'string')
    throw new CardError('invalid', 'A raw body must be a string; choose bodyType json for an object');
  if (hasBody && bodyType === 'raw') headers['content-type'] ??= 'text/plain';
  const response = await ctx.http.request({
    method: input.method ?? 'GET',
    ...(absolute ? { url: input.url } : { path: input.url }),
    query,
    headers,
    ...(hasBody ? { body: input.body, bodyType: bodyType === 'form' ? 'form' : 'json' } : {}),
    auth: 'none',
  });
  return { status: response.status, headers: response.headers, body: response.data ?? null };
});

function applyCredentials(
  config: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>>,
  headers: Record<string, string>,
  query: Record<string, string | number | boolean>,
): void {
  const type = typeof config.authType === 'string' ? config.authType : 'none';
  const need = (value: string | undefined, field: string): string => {
    if (value === undefined || value === '')
      throw new CardError('auth', `The HTTP configuration uses ${type} but has no ${field}; edit it`, {
        code: 'FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL',
      });
    return value;
  };
  const keyName = (): string =>
    need(typeof config.apiKeyName === 'string' ? config.apiKeyName : undefined, 'apiKeyName');
  switch (type) {
    case 'bearer':
      headers.authorization = `Bearer ${need(secrets.token, 'token')}`;
      return;
    case 'basic': {
      const user = need(typeof config.username === 'string' ? config.username : undefined, 'username');
      const pair = `${user}:${need(secrets.password, 'password')}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      return;
    }
    case 'apiKeyHeader':
      headers[keyName().toLowerCase()] = need(secrets.apiKey, 'apiKey');
      return;
    case 'apiKeyQuery':
      query[keyName()] = need(secrets.apiKey, 'apiKey');
      return;
    default:
      return;
  }
}
