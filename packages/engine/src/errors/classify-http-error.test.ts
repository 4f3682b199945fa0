import http from 'node:http';
import type { FlowSignal } from '@flowcard/sdk';
import { createAxiosInstance } from '../http/create-axios-instance';
import { classifyHttpError } from './classify-http-error';
import { classifyHandlerError } from './classify-handler-error';

function graph(code: number, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return {
    error: {
      message: `(#${code}) message for ${code}`,
      type: 'OAuthException',
      code,
      fbtrace_id: 'Atrace1',
      ...extra,
    },
  };
}

interface Row {
  name: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  signal: FlowSignal;
  code: string;
  retryAfterMs?: number;
}

const MIN = 60_000;
const rows: Row[] = [
  {
    name: 'Graph 1 (unknown, temporary)',
    status: 500,
    body: graph(1),
    signal: 'retry',
    code: 'FLOWCARD_ERR_GRAPH_TRANSIENT',
  },
  {
    name: 'Graph 2 (service temporarily unavailable)',
    status: 500,
    body: graph(2),
    signal: 'retry',
    code: 'FLOWCARD_ERR_GRAPH_TRANSIENT',
  },
  {
    name: 'Graph 1 that Meta marks not transient (wrong client secret)',
    status: 400,
    body: graph(1, { is_transient: false }),
    signal: 'invalid',
    code: 'FLOWCARD_ERR_INVALID_REQUEST',
  },
  {
    name: 'Graph is_transient on another code',
    status: 400,
    body: graph(100, { is_transient: true }),
    signal: 'retry',
    code: 'FLOWCARD_ERR_GRAPH_TRANSIENT',
  },
  {
    name: 'Graph 4 (app limit)',
    status: 400,
    body: graph(4),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 5 * MIN,
  },
  {
    name: 'Graph 17 (user limit)',
    status: 400,
    body: graph(17),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 5 * MIN,
  },
  {
    name: 'Graph 32 (page limit)',
    status: 400,
    body: graph(32),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 5 * MIN,
  },
  {
    name: 'Graph 613 (custom limit)',
    status: 400,
    body: graph(613),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 1 * MIN,
  },
  {
    name: 'Graph 80001 (page BUC limit)',
    status: 400,
    body: graph(80001),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 5 * MIN,
  },
  {
    name: 'Graph 80005 (leadgen limit)',
    status: 400,
    body: graph(80005),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 60 * MIN,
  },
  {
    name: 'Graph 80001 with estimated_time_to_regain_access',
    status: 400,
    body: graph(80001),
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        '101': [
          {
            type: 'pages',
            call_count: 100,
            total_cputime: 20,
            total_time: 20,
            estimated_time_to_regain_access: 7,
          },
        ],
      }),
    },
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 7 * MIN,
  },
  {
    name: 'Graph 4 with Retry-After seconds',
    status: 400,
    body: graph(4),
    headers: { 'retry-after': '30' },
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 30_000,
  },
  {
    name: 'HTTP 429 without a body',
    status: 429,
    body: '',
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 1 * MIN,
  },
  {
    name: 'HTTP 429 with Retry-After',
    status: 429,
    body: 'slow down',
    headers: { 'retry-after': '12' },
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_RATE_LIMITED',
    retryAfterMs: 12_000,
  },
  {
    name: 'Graph 368 (temporarily blocked)',
    status: 400,
    body: graph(368),
    signal: 'rate_limited',
    code: 'FLOWCARD_ERR_TEMPORARILY_BLOCKED',
    retryAfterMs: 60 * MIN,
  },
  {
    name: 'Graph 190 without subcode',
    status: 400,
    body: graph(190),
    signal: 'auth',
    code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
  },
  ...[458, 459, 460, 463, 464, 467].map((subcode): Row => ({
    name: `Graph 190 subcode ${subcode}`,
    status: 400,
    body: graph(190, { error_subcode: subcode }),
    signal: 'auth',
    code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
  })),
  {
    name: 'Graph 102 (session key invalid)',
    status: 400,
    body: graph(102),
    signal: 'auth',
    code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
  },
  {
    name: 'Graph 10 (permission denied)',
    status: 403,
    body: graph(10),
    signal: 'permission',
    code: 'FLOWCARD_ERR_PERMISSION_MISSING',
  },
  ...[200, 210, 230, 299].map((code): Row => ({
    name: `Graph ${code} (permissions)`,
    status: 403,
    body: graph(code),
    signal: 'permission',
    code: 'FLOWCARD_ERR_PERMISSION_MISSING',
  })),
  {
    name: 'Graph 100 (invalid parameter)',
    status: 400,
    body: graph(100),
    signal: 'invalid',
    code: 'FLOWCARD_ERR_INVALID_REQUEST',
  },
  {
    name: 'Graph 506 (duplicate post)',
    status: 400,
    body: graph(506),
    signal: 'invalid',
    code: 'FLOWCARD_ERR_INVALID_REQUEST',
  },
  {
    name: 'Graph 300 is not a permission code',
    status: 400,
    body: graph(300),
    signal: 'invalid',
    code: 'FLOWCARD_ERR_INVALID_REQUEST',
  },
  {
    name: 'unknown Graph code on a 5xx',
    status: 503,
    body: graph(12345),
    signal: 'retry',
    code: 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE',
  },
  ...[500, 502, 503, 504].map((status): Row => ({
    name: `HTTP ${status} with an HTML page`,
    status,
    body: '<html>down</html>',
    signal: 'retry',
    code: 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE',
  })),
  { name: 'HTTP 408', status: 408, body: '', signal: 'retry', code: 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE' },
  {
    name: 'HTTP 401 without a Graph body',
    status: 401,
    body: { message: 'nope' },
    signal: 'auth',
    code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
  },
  {
    name: 'HTTP 403 without a Graph body',
    status: 403,
    body: { message: 'forbidden' },
    signal: 'permission',
    code: 'FLOWCARD_ERR_PERMISSION_MISSING',
  },
  {
    name: 'HTTP 404 without a Graph body',
    status: 404,
    body: { message: 'no such thing' },
    signal: 'invalid',
    code: 'FLOWCARD_ERR_INVALID_REQUEST',
  },
  ...(
    [
      ['409', 'uniqueness', 'invalid', 'FLOWCARD_ERR_INVALID_REQUEST'],
      ['400', 'invalidFilter', 'invalid', 'FLOWCARD_ERR_INVALID_REQUEST'],
      ['412', undefined, 'invalid', 'FLOWCARD_ERR_INVALID_REQUEST'],
      ['404', undefined, 'invalid', 'FLOWCARD_ERR_INVALID_REQUEST'],
      ['401', undefined, 'auth', 'FLOWCARD_ERR_AUTH_INVALID_TOKEN'],
      ['403', undefined, 'permission', 'FLOWCARD_ERR_PERMISSION_MISSING'],
      ['429', undefined, 'rate_limited', 'FLOWCARD_ERR_RATE_LIMITED'],
      ['500', undefined, 'retry', 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE'],
    ] as const
  ).map(([status, scimType, signal, code]): Row => ({
    name: `SCIM error ${status}${scimType ? ` (${scimType})` : ''}`,
    status: Number(status),
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status,
      ...(scimType ? { scimType } : {}),
      detail: `scim detail ${status}`,
    },
    signal,
    code,
  })),
];

describe('classifyHttpError', () => {
  it.each(rows)('classifies $name as $signal ($code)', (row) => {
    const error = classifyHttpError({
      kind: 'response',
      status: row.status,
      headers: row.headers ?? {},
      body: row.body,
    });
    expect(error.name).toBe('CardError');
    expect(error.signal).toBe(row.signal);
    expect(error.code).toBe(row.code);
    expect(error.status).toBe(row.status);
    if (row.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(row.retryAfterMs);
    if (row.signal !== 'rate_limited') expect(error.retryAfterMs).toBeUndefined();
  });

  it("keeps Meta's message and puts code, subcode and fbtrace_id in details", () => {
    const error = classifyHttpError({
      kind: 'response',
      status: 400,
      headers: {},
      body: graph(190, { error_subcode: 460, message: 'Error validating access token: password changed' }),
    });
    expect(error.message).toBe(
      "The configuration's credentials are no longer valid (password changed): Error validating access token: password changed",
    );
    expect(error.details).toMatchObject({
      graphCode: 190,
      graphSubcode: 460,
      fbtraceId: 'Atrace1',
      reason: 'password changed',
    });
  });

  it.each([
    ['(#200) Requires pages_manage_posts permission to manage the object', 'pages_manage_posts'],
    ["(#10) This endpoint requires the 'pages_read_engagement' permission", 'pages_read_engagement'],
    ["(#200) The user hasn't authorized the application to perform this action", undefined],
  ])('names the permission Graph names in "%s"', (message, permission) => {
    const error = classifyHttpError({
      kind: 'response',
      status: 403,
      headers: {},
      body: graph(200, { message }),
    });
    expect(error.permission).toBe(permission);
  });

  it('takes Retry-After as an HTTP date', () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const error = classifyHttpError({
      kind: 'response',
      status: 429,
      headers: { 'retry-after': at },
      body: '',
    });
    expect(error.retryAfterMs).toBeGreaterThan(80_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('never lets a token into the message or details', () => {
    const body = graph(100, { message: 'Invalid parameter access_token=EAAsecrettoken123 seen' });
    const error = classifyHttpError(
      { kind: 'response', status: 400, headers: {}, body, url: 'http://h/x?access_token=EAAsecrettoken123' },
      { secrets: ['EAAsecrettoken123'] },
    );
    expect(JSON.stringify(error.toJSON())).not.toContain('EAAsecrettoken123');
    expect(error.message).toContain('access_token=[redacted]');
  });

  it('classifies a refused connection as a retryable network error naming the host', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/me?access_token=EAAtok`;
    const error = await createAxiosInstance()
      .get(url)
      .then(
        () => undefined,
        (thrown: unknown) => classifyHttpError({ kind: 'network', error: thrown, url }),
      );
    expect(error?.signal).toBe('retry');
    expect(error?.code).toBe('FLOWCARD_ERR_HTTP_NETWORK');
    expect(error?.message).toBe(`Could not reach 127.0.0.1:${port}: ECONNREFUSED`);
    expect(JSON.stringify(error?.toJSON())).not.toContain('EAAtok');
  });

  it('classifies a timeout as a retryable timeout error', async () => {
    const server = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/slow`;
    const error = await createAxiosInstance({ timeoutMs: 50 })
      .get(url)
      .then(
        () => undefined,
        (thrown: unknown) => classifyHttpError({ kind: 'network', error: thrown, url, timeoutMs: 50 }),
      );
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(error?.signal).toBe('retry');
    expect(error?.code).toBe('FLOWCARD_ERR_HTTP_TIMEOUT');
    expect(error?.message).toMatch(/within 50 ms$/);
  });

  it('classifies a reset connection as a retryable network error', () => {
    const error = classifyHttpError({
      kind: 'network',
      error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      url: 'http://h/x',
    });
    expect(error.signal).toBe('retry');
    expect(error.message).toBe('Could not reach h: ECONNRESET');
  });
});

describe('classifyHandlerError', () => {
  it('treats a TypeError as a bug that retrying cannot fix', () => {
    const error = classifyHandlerError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      'c/x@1',
    );
    expect([error.signal, error.code]).toEqual(['invalid', 'FLOWCARD_ERR_HANDLER_BUG']);
  });

  it('retries any other plain error', () => {
    const error = classifyHandlerError(new Error('boom'), 'c/x@1');
    expect([error.signal, error.code, error.message]).toEqual([
      'retry',
      'FLOWCARD_ERR_HANDLER_FAILED',
      'The handler of c/x@1 failed: boom',
    ]);
  });

  it('keeps a CardError that lost its prototype across a process boundary', () => {
    const error = classifyHandlerError(
      { name: 'CardError', signal: 'auth', code: 'X', message: 'dead' },
      'c/x@1',
    );
    expect([error.signal, error.code, error.message]).toEqual(['auth', 'X', 'dead']);
  });
});
