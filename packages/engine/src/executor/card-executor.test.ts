import { createHmac } from 'node:crypto';
import { isCardError, type CardError } from '@flowcard/sdk';
import type { CardSpec, ConfigurationKindSpec } from '@flowcard/schemas';
import { ConnectorHttpClient } from '../http/connector-http-client';
import { CardExecutor } from './card-executor';
import type { ResolvedConfiguration } from './execute-card.types';
import { testCard } from './testing/test-card';
import {
  startTestHttpServer,
  type RecordedRequest,
  type TestHttpServer,
  type TestReply,
} from './testing/test-http-server';

const TOKEN = 'EAAusertoken0001';
const APP_SECRET = 'appsecret-0001';

let server: TestHttpServer;
let route: (request: RecordedRequest) => TestReply | Promise<TestReply>;
let executor: CardExecutor;

beforeAll(async () => {
  server = await startTestHttpServer((request) => route(request));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  route = () => ({ body: { ok: true } });
  executor = new CardExecutor({ httpClient: new ConnectorHttpClient({ timeoutMs: 2000 }) });
});

function configuration(
  secrets: Record<string, string> = { accessToken: TOKEN },
  values: Record<string, unknown> = {},
): ResolvedConfiguration {
  return { id: 'cfg1', values: { baseUrl: `${server.baseUrl}/v25.0`, ...values }, secrets };
}

async function failure(promise: Promise<unknown>): Promise<CardError> {
  try {
    await promise;
  } catch (error) {
    if (isCardError(error)) return error as CardError;
    throw error;
  }
  throw new Error('expected the card to fail');
}

function card(
  spec: Partial<CardSpec> & { key: string },
  kind?: Partial<ConfigurationKindSpec>,
): ReturnType<typeof testCard> {
  return testCard(spec, kind, `${__dirname}/testing`);
}

describe('declarative requests', () => {
  it('sends a GET with rendered path and query, dropping parameters that render to nothing', async () => {
    route = () => ({ body: { id: '101', name: 'Page' } });
    const getPage = card({
      key: 'get-page',
      input: {
        type: 'object',
        required: ['pageId'],
        properties: { pageId: { type: 'string' }, fields: { type: 'string' } },
      },
      request: {
        method: 'GET',
        path: '/{{input.pageId}}',
        query: { fields: '{{input.fields}}', locale: 'en_US' },
      },
    });
    const result = await executor.execute({
      card: getPage,
      configuration: configuration(),
      input: { pageId: '101' },
    });
    expect(result).toEqual({ output: { id: '101', name: 'Page' }, calls: 1 });
    const [request] = server.requests;
    expect(request.path).toBe('/v25.0/101');
    expect([...request.query.keys()]).toEqual(['locale']);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('posts a JSON body where whole-value templates keep their types and missing keys are dropped', async () => {
    route = () => ({ body: { id: '101_1' } });
    const post = card({
      key: 'create-post',
      input: {
        type: 'object',
        properties: {
          message: { type: 'string' },
          published: { type: 'boolean' },
          n: { type: 'integer' },
          tags: { type: 'array' },
          link: { type: 'string' },
        },
      },
      request: {
        method: 'POST',
        path: '/101/feed',
        body: {
          message: 'Say: {{input.message}}',
          published: '{{input.published}}',
          n: '{{input.n}}',
          tags: '{{input.tags}}',
          link: '{{input.link}}',
        },
      },
    });
    await executor.execute({
      card: post,
      configuration: configuration(),
      input: { message: 'hi', published: false, n: 2, tags: ['x'] },
    });
    const [request] = server.requests;
    expect(request.headers['content-type']).toContain('application/json');
    expect(JSON.parse(request.body)).toEqual({ message: 'Say: hi', published: false, n: 2, tags: ['x'] });
  });

  it('posts a form body with objects sent as JSON text', async () => {
    route = () => ({ body: { id: 'g1' } });
    const post = card({
      key: 'send-message',
      input: { type: 'object', properties: { to: { type: 'string' }, text: { type: 'string' } } },
      request: {
        method: 'POST',
        path: '/me/messages',
        bodyType: 'form',
        body: {
          recipient: { id: '{{input.to}}' },
          message: { text: '{{input.text}}' },
          skipped: '{{input.none}}',
        },
      },
    });
    await executor.execute({
      card: post,
      configuration: configuration(),
      input: { to: 'u1', text: 'hello there' },
    });
    const [request] = server.requests;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    expect(Object.fromEntries(form)).toEqual({ recipient: '{"id":"u1"}', message: '{"text":"hello there"}' });
  });

  it('applies input defaults from the input schema before rendering', async () => {
    const list = card({
      key: 'list',
      input: { type: 'object', properties: { limit: { type: 'integer', default: 25 } } },
      request: { method: 'GET', path: '/me/feed', query: { limit: '{{input.limit}}' } },
    });
    await executor.execute({ card: list, configuration: configuration(), input: {} });
    expect(server.requests[0].query.get('limit')).toBe('25');
  });

  it('builds the base URL from configuration values', async () => {
    const me = card(
      { key: 'me', request: { method: 'GET', path: '/me' } },
      { baseUrl: '{{config.host}}/{{config.version}}' },
    );
    await executor.execute({
      card: me,
      configuration: { values: { host: server.baseUrl, version: 'v21.0' }, secrets: { accessToken: TOKEN } },
      input: {},
    });
    expect(server.requests[0].path).toBe('/v21.0/me');
  });

  it('fails as invalid when the base URL does not render to an absolute URL', async () => {
    const me = card({ key: 'me', request: { method: 'GET', path: '/me' } });
    const error = await failure(
      executor.execute({
        card: me,
        configuration: { values: {}, secrets: { accessToken: TOKEN } },
        input: {},
      }),
    );
    expect([error.signal, error.code]).toEqual(['invalid', 'FLOWCARD_ERR_BASE_URL_INVALID']);
  });

  it('exposes Meta usage headers on the result for the rate limiter', async () => {
    route = () => ({
      body: { id: '1' },
      headers: { 'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}' },
    });
    const me = card({ key: 'me', request: { method: 'GET', path: '/me' } });
    const result = await executor.execute({ card: me, configuration: configuration(), input: {} });
    expect(result.usage).toEqual({ app: { call_count: 28, total_time: 25, total_cputime: 25 } });
  });
});

describe('authentication', () => {
  const me = (kind?: Partial<ConfigurationKindSpec>): ReturnType<typeof testCard> =>
    card({ key: 'me', request: { method: 'GET', path: '/me' } }, kind);

  it('sends the token as access_token in the query when placement is query', async () => {
    await executor.execute({
      card: me({ auth: { kind: 'bearer', tokenField: 'accessToken', placement: 'query' } }),
      configuration: configuration(),
      input: {},
    });
    expect(server.requests[0].query.get('access_token')).toBe(TOKEN);
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it('adds appsecret_proof = hex HMAC-SHA256(app secret, token) when the app secret is set', async () => {
    const kind = {
      auth: {
        kind: 'oauth2',
        provider: 'meta',
        scopes: ['pages_show_list'],
        tokenField: 'accessToken',
        appsecretProof: { secretField: 'appSecret' },
      },
    } as Partial<ConfigurationKindSpec>;
    await executor.execute({
      card: me(kind),
      configuration: configuration({ accessToken: TOKEN, appSecret: APP_SECRET }),
      input: {},
    });
    const expected = createHmac('sha256', APP_SECRET).update(TOKEN).digest('hex');
    expect(server.requests[0].query.get('appsecret_proof')).toBe(expected);
  });

  it('sends no appsecret_proof when the app secret is not set', async () => {
    const kind = {
      auth: { kind: 'bearer', tokenField: 'accessToken', appsecretProof: { secretField: 'appSecret' } },
    } as Partial<ConfigurationKindSpec>;
    await executor.execute({ card: me(kind), configuration: configuration(), input: {} });
    expect(server.requests[0].query.has('appsecret_proof')).toBe(false);
  });

  it('sends basic credentials', async () => {
    const kind = {
      auth: { kind: 'basic', usernameField: 'user', passwordField: 'password' },
    } as Partial<ConfigurationKindSpec>;
    await executor.execute({
      card: me(kind),
      configuration: configuration({ password: 'pa55word' }, { user: 'ada' }),
      input: {},
    });
    expect(server.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('ada:pa55word').toString('base64')}`,
    );
  });

  it('sends no credentials for auth kind none', async () => {
    await executor.execute({
      card: me({ auth: { kind: 'none' } }),
      configuration: configuration({}),
      input: {},
    });
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[0].query.has('access_token')).toBe(false);
  });

  it('parks (auth) when the configuration has no token', async () => {
    const error = await failure(
      executor.execute({ card: me(), configuration: configuration({}), input: {} }),
    );
    expect([error.signal, error.code, error.message]).toEqual([
      'auth',
      'FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL',
      'The configuration has no value for accessToken; reconnect or edit it',
    ]);
  });

  it('fetches a page token once with the user token and reuses it', async () => {
    route = (request) =>
      request.path === '/v25.0/101'
        ? { body: { id: '101', access_token: 'EAApagetoken101' } }
        : { body: { id: 'post1' } };
    const post = card({
      key: 'post',
      input: { type: 'object', properties: { pageId: { type: 'string' } } },
      request: {
        method: 'POST',
        path: '/{{input.pageId}}/feed',
        auth: { pageToken: '{{input.pageId}}' },
        body: { message: 'x' },
      },
    });
    for (let i = 0; i < 3; i++)
      await executor.execute({ card: post, configuration: configuration(), input: { pageId: '101' } });
    const tokenFetches = server.requests.filter((r) => r.path === '/v25.0/101');
    expect(tokenFetches).toHaveLength(1);
    expect(tokenFetches[0].query.get('fields')).toBe('access_token');
    expect(tokenFetches[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    const posts = server.requests.filter((r) => r.path === '/v25.0/101/feed');
    expect(posts.map((r) => r.headers.authorization)).toEqual(Array(3).fill('Bearer EAApagetoken101'));
  });

  it('fails with permission when the user does not manage the page', async () => {
    route = () => ({ body: { id: '101' } });
    const post = card({
      key: 'post',
      request: { method: 'GET', path: '/101/feed', auth: { pageToken: '101' } },
    });
    const error = await failure(executor.execute({ card: post, configuration: configuration(), input: {} }));
    expect([error.signal, error.code]).toEqual(['permission', 'FLOWCARD_ERR_PAGE_TOKEN_UNAVAILABLE']);
  });

  it('fetches a fresh page token after Meta refuses the cached one', async () => {
    let pageToken = 'EAApageA';
    route = (request) => {
      if (request.path === '/v25.0/101') return { body: { access_token: pageToken } };
      if (request.headers.authorization === 'Bearer EAApageA')
        return { status: 400, body: { error: { message: 'expired', code: 190, error_subcode: 463 } } };
      return { body: { id: 'ok' } };
    };
    const get = card({
      key: 'get',
      request: { method: 'GET', path: '/101/feed', auth: { pageToken: '101' } },
    });
    const error = await failure(executor.execute({ card: get, configuration: configuration(), input: {} }));
    expect(error.signal).toBe('auth');
    pageToken = 'EAApageB';
    await expect(
      executor.execute({ card: get, configuration: configuration(), input: {} }),
    ).resolves.toMatchObject({ output: { id: 'ok' } });
  });
});

describe('paging', () => {
  function graphPages(request: RecordedRequest): TestReply {
    const page = Number(request.query.get('after') ?? '1');
    const data = [1, 2].map((i) => ({ id: `p${page}_${i}` }));
    const next =
      page < 3
        ? `${server.baseUrl}/v25.0/101/feed?after=${page + 1}&limit=2&access_token=${TOKEN}`
        : undefined;
    return { body: { data, paging: { cursors: { after: String(page) }, ...(next ? { next } : {}) } } };
  }

  const listPosts = (paginate: Record<string, unknown>): ReturnType<typeof testCard> =>
    card({
      key: 'list-posts',
      input: { type: 'object', properties: { limit: { type: 'integer' } } },
      output: { type: 'array', items: { type: 'object', required: ['id'] } },
      request: {
        method: 'GET',
        path: '/101/feed',
        paginate: { style: 'graph-cursor', ...paginate } as never,
        output: { path: 'data' },
      },
    });

  it('follows Graph paging.next across three pages and collects every item', async () => {
    route = graphPages;
    const result = await executor.execute({
      card: listPosts({ pageSize: 2 }),
      configuration: configuration(),
      input: {},
    });
    expect(result.calls).toBe(3);
    expect(result.output).toEqual(['p1_1', 'p1_2', 'p2_1', 'p2_2', 'p3_1', 'p3_2'].map((id) => ({ id })));
    expect(server.requests[0].query.get('limit')).toBe('2');
    // The token in the next link is not sent twice.
    expect(server.requests[1].query.getAll('access_token')).toEqual([TOKEN]);
  });

  it('stops at maxItems, rendered from the input', async () => {
    route = graphPages;
    const result = await executor.execute({
      card: listPosts({ maxItems: '{{input.limit}}' }),
      configuration: configuration(),
      input: { limit: 3 },
    });
    expect(result.calls).toBe(2);
    expect(result.output).toEqual([{ id: 'p1_1' }, { id: 'p1_2' }, { id: 'p2_1' }]);
  });

  it('stops at maxPages', async () => {
    route = graphPages;
    const result = await executor.execute({
      card: listPosts({ maxPages: 2 }),
      configuration: configuration(),
      input: {},
    });
    expect(result.calls).toBe(2);
    expect(result.output).toHaveLength(4);
  });

  it('pages SCIM lists with startIndex and count until totalResults', async () => {
    const users = Array.from({ length: 5 }, (_, i) => ({ id: `u${i + 1}`, userName: `u${i + 1}@x.com` }));
    route = (request) => {
      const start = Number(request.query.get('startIndex'));
      const count = Number(request.query.get('count'));
      const Resources = users.slice(start - 1, start - 1 + count);
      return {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: users.length,
          itemsPerPage: Resources.length,
          startIndex: start,
          Resources,
        },
      };
    };
    const list = card({
      key: 'scim-list',
      request: { method: 'GET', path: '/Users', paginate: { style: 'scim', pageSize: 2 } },
    });
    const result = await executor.execute({ card: list, configuration: configuration(), input: {} });
    expect(result.calls).toBe(3);
    expect(server.requests.map((r) => r.query.get('startIndex'))).toEqual(['1', '3', '5']);
    expect(result.output).toMatchObject({ totalResults: 5, itemsPerPage: 5, Resources: users });
  });
});

describe('output selection and validation', () => {
  beforeEach(() => {
    route = () => ({
      body: {
        data: [
          { id: 'a', n: 1 },
          { id: 'b', n: 2 },
        ],
        summary: { total: 2 },
      },
    });
  });

  it('selects a dot path', async () => {
    const c = card({ key: 'c', request: { method: 'GET', path: '/x', output: { path: 'data.1.id' } } });
    expect((await executor.execute({ card: c, configuration: configuration(), input: {} })).output).toBe('b');
  });

  it('maps templates over the response and the input', async () => {
    const c = card({
      key: 'c',
      input: { type: 'object', properties: { tag: { type: 'string' } } },
      request: {
        method: 'GET',
        path: '/x',
        output: {
          map: { first: '{{response.data.0.id}}', total: '{{response.summary.total}}', tag: '{{input.tag}}' },
        },
      },
    });
    expect(
      (await executor.execute({ card: c, configuration: configuration(), input: { tag: 't' } })).output,
    ).toEqual({ first: 'a', total: 2, tag: 't' });
  });

  it('applies a JSONata transform after the path', async () => {
    const c = card({
      key: 'c',
      request: {
        method: 'GET',
        path: '/x',
        output: { path: 'data', transform: '{ "ids": response.id, "sum": $sum(response.n) }' },
      },
    });
    expect((await executor.execute({ card: c, configuration: configuration(), input: {} })).output).toEqual({
      ids: ['a', 'b'],
      sum: 3,
    });
  });

  it('fails with an invalid output naming the path', async () => {
    const c = card({
      key: 'c',
      output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      request: { method: 'GET', path: '/x', output: { map: { id: '{{response.summary.total}}' } } },
    });
    const error = await failure(executor.execute({ card: c, configuration: configuration(), input: {} }));
    expect([error.signal, error.code]).toEqual(['invalid', 'FLOWCARD_ERR_OUTPUT_INVALID']);
    expect(error.message).toBe(
      "The response does not match the card's output schema: output/id: must be string",
    );
  });

  it('fails with an invalid input naming the field, before any call', async () => {
    const c = card({
      key: 'c',
      input: {
        type: 'object',
        required: ['pageId'],
        properties: { message: { type: 'string' }, pageId: { type: 'string' } },
      },
      request: { method: 'GET', path: '/x' },
    });
    const error = await failure(
      executor.execute({ card: c, configuration: configuration(), input: { message: 5 } }),
    );
    expect([error.signal, error.code]).toEqual(['invalid', 'FLOWCARD_ERR_INPUT_INVALID']);
    expect(error.message).toBe('Invalid input: input/pageId: is required; input/message: must be string');
    expect(server.requests).toHaveLength(0);
  });
});

describe('handler cards', () => {
  const handlerCard = (handler: string, extra: Partial<CardSpec> = {}): ReturnType<typeof testCard> =>
    card({
      key: 'h',
      handler,
      input: { type: 'object', properties: { name: { type: 'string' }, missing: {} } },
      ...extra,
    });

  it('runs the handler with an authenticated client, config values and no secrets', async () => {
    route = () => ({ body: { id: 'me1' } });
    const result = await executor.execute({
      card: handlerCard('handlers/get-me.ts'),
      configuration: configuration(),
      input: { name: 'Ada' },
    });
    expect(result).toEqual({
      output: { id: 'me1', greeting: 'hello Ada', sawSecrets: false, config: true, card: 'h' },
      calls: 1,
    });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0].path).toBe('/v25.0/me');
  });

  it('gives secrets only to a handler that declares needsSecrets', async () => {
    route = () => ({ body: { id: 'me1' } });
    const result = await executor.execute({
      card: handlerCard('handlers/get-me.ts', { needsSecrets: true }),
      configuration: configuration(),
      input: { name: 'Ada' },
    });
    expect(result.output).toMatchObject({ sawSecrets: true });
  });

  it('keeps the CardError a handler throws', async () => {
    const error = await failure(
      executor.execute({
        card: handlerCard('handlers/throws-card-error.ts'),
        configuration: configuration(),
        input: {},
      }),
    );
    expect([error.signal, error.code, error.permission]).toEqual([
      'permission',
      'TEST_ERR_ROLE',
      'pages_manage_posts',
    ]);
  });

  it('retries a plain error thrown by a handler', async () => {
    const error = await failure(
      executor.execute({
        card: handlerCard('handlers/throws-plain-error.ts'),
        configuration: configuration(),
        input: {},
      }),
    );
    expect([error.signal, error.code, error.message]).toEqual([
      'retry',
      'FLOWCARD_ERR_HANDLER_FAILED',
      'The handler of test/h@1 failed: upstream queue was full',
    ]);
  });

  it('fails a handler bug (TypeError) without retry', async () => {
    const error = await failure(
      executor.execute({
        card: handlerCard('handlers/throws-type-error.ts'),
        configuration: configuration(),
        input: {},
      }),
    );
    expect([error.signal, error.code]).toEqual(['invalid', 'FLOWCARD_ERR_HANDLER_BUG']);
  });

  it('scrubs configuration secrets from errors of calls the handler sends without auth', async () => {
    // The service echoes the token it received in its error message.
    route = (request) => ({
      status: 400,
      body: { error: { message: `bad token ${String(request.headers['x-custom-token'])}`, code: 100 } },
    });
    const error = await failure(
      executor.execute({
        card: handlerCard('handlers/echoes-secret-unauthenticated.ts', { needsSecrets: true }),
        configuration: configuration(),
        input: {},
      }),
    );
    expect(error.signal).toBe('invalid');
    expect(error.message).toContain('bad token');
    expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
  });

  it('surfaces a classified error from the handler client', async () => {
    route = () => ({
      status: 400,
      body: { error: { message: 'Error validating access token', code: 190, error_subcode: 460 } },
    });
    const error = await failure(
      executor.execute({
        card: handlerCard('handlers/get-me.ts'),
        configuration: configuration(),
        input: { name: 'x' },
      }),
    );
    expect([error.signal, error.code]).toEqual(['auth', 'FLOWCARD_ERR_AUTH_INVALID_TOKEN']);
  });
});

describe('every error class end to end', () => {
  const me = (): ReturnType<typeof testCard> =>
    card(
      { key: 'me', request: { method: 'GET', path: '/me' } },
      { auth: { kind: 'bearer', tokenField: 'accessToken', placement: 'query' } },
    );
  const envelope = (code: number, extra: Record<string, unknown> = {}): unknown => ({
    error: {
      message: `(#${code}) failure with access_token=${TOKEN}`,
      type: 'OAuthException',
      code,
      fbtrace_id: 'AbC',
      ...extra,
    },
  });

  it.each([
    ['Graph 2 temporary', 500, envelope(2), {}, 'retry', 'FLOWCARD_ERR_GRAPH_TRANSIENT'],
    ['HTTP 503', 503, 'down', {}, 'retry', 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE'],
    ['Graph 4 app limit', 400, envelope(4), {}, 'rate_limited', 'FLOWCARD_ERR_RATE_LIMITED'],
    [
      'Graph 32 with usage',
      400,
      envelope(32),
      {
        'x-business-use-case-usage':
          '{"101":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}',
      },
      'rate_limited',
      'FLOWCARD_ERR_RATE_LIMITED',
    ],
    ['HTTP 429', 429, '', { 'retry-after': '2' }, 'rate_limited', 'FLOWCARD_ERR_RATE_LIMITED'],
    [
      'Graph 190/463',
      400,
      envelope(190, { error_subcode: 463 }),
      { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "expired"' },
      'auth',
      'FLOWCARD_ERR_AUTH_INVALID_TOKEN',
    ],
    [
      'Graph 200 permission',
      403,
      envelope(200, { message: '(#200) Requires pages_manage_posts permission' }),
      {},
      'permission',
      'FLOWCARD_ERR_PERMISSION_MISSING',
    ],
    ['Graph 100 invalid', 400, envelope(100), {}, 'invalid', 'FLOWCARD_ERR_INVALID_REQUEST'],
    ['Graph 368 blocked', 400, envelope(368), {}, 'rate_limited', 'FLOWCARD_ERR_TEMPORARILY_BLOCKED'],
  ] as const)('%s → %s', async (_name, status, body, headers, signal, code) => {
    route = () => ({ status, body, headers });
    const error = await failure(executor.execute({ card: me(), configuration: configuration(), input: {} }));
    expect([error.signal, error.code, error.status]).toEqual([signal, code, status]);
    expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
  });

  it('reports the time to regain access from the usage header', async () => {
    route = () => ({
      status: 400,
      body: envelope(80001),
      headers: {
        'x-business-use-case-usage': '{"101":[{"type":"pages","estimated_time_to_regain_access":3}]}',
      },
    });
    const error = await failure(executor.execute({ card: me(), configuration: configuration(), input: {} }));
    expect(error.retryAfterMs).toBe(180_000);
  });

  it('retries when the service cannot be reached', async () => {
    const c = card({ key: 'me', request: { method: 'GET', path: '/me' } });
    const error = await failure(
      executor.execute({
        card: c,
        configuration: { values: { baseUrl: 'http://127.0.0.1:1' }, secrets: { accessToken: TOKEN } },
        input: {},
      }),
    );
    expect([error.signal, error.code]).toEqual(['retry', 'FLOWCARD_ERR_HTTP_NETWORK']);
  });
});

describe('triggers', () => {
  it('polls, keeps items not older than the cursor, oldest first, and advances the cursor', async () => {
    route = () => ({
      body: {
        data: [
          { id: 'p3', created_time: '2026-01-03T00:00:00+0000' },
          { id: 'p2', created_time: '2026-01-02T00:00:00+0000' },
          { id: 'p1', created_time: '2025-12-31T00:00:00+0000' },
        ],
      },
    });
    const trigger = card({
      key: 'new-post',
      kind: 'trigger',
      output: { type: 'object', required: ['id'] },
      trigger: {
        type: 'polling',
        dedupeKey: '{{item.id}}',
        polling: {
          request: { method: 'GET', path: '/101/feed', query: { since: '{{cursor.since}}' } },
          cursor: '{{item.created_time}}',
        },
      },
    });
    const since = Date.parse('2026-01-01T00:00:00Z') / 1000;
    const result = await executor.pollTrigger(trigger, configuration(), {}, { since });
    expect(server.requests[0].query.get('since')).toBe(String(since));
    expect(result.items.map((i) => i.key)).toEqual(['p2', 'p3']);
    expect(result.cursor).toEqual({ since: Date.parse('2026-01-03T00:00:00Z') / 1000 });
  });

  it('polls without a cursor by leaving the since parameter out', async () => {
    route = () => ({ body: { data: [{ id: 'p1', created_time: 1767225600 }] } });
    const trigger = card({
      key: 'new-post',
      kind: 'trigger',
      trigger: {
        type: 'polling',
        dedupeKey: '{{item.id}}',
        itemOutput: { map: { postId: '{{item.id}}' } },
        polling: {
          request: { method: 'GET', path: '/101/feed', query: { since: '{{cursor.since}}' } },
          cursor: '{{item.created_time}}',
        },
      },
    });
    const result = await executor.pollTrigger(trigger, configuration(), {});
    expect(server.requests[0].query.has('since')).toBe(false);
    expect(result.items).toEqual([{ key: 'p1', output: { postId: 'p1' }, time: 1767225600 }]);
  });

  it('polls through a polling handler and keeps its cursor', async () => {
    const trigger = card({
      key: 'new-lead',
      kind: 'trigger',
      trigger: {
        type: 'polling',
        dedupeKey: '{{item.id}}',
        polling: { handler: 'handlers/poll-forms.ts', cursor: '{{item.created_time}}' },
      } as never,
    });
    const result = await executor.pollTrigger(trigger, configuration(), {}, { since: 5 });
    expect(result.items.map((i) => i.key)).toEqual(['l1', 'l2']);
    expect(result.cursor).toEqual({ since: 6, page: 'p1' });
  });

  it('runs webhook subscribe and fetch requests with the event in scope', async () => {
    route = (request) =>
      request.method === 'POST'
        ? { body: { success: true } }
        : { body: { id: 'lead1', field_data: [{ name: 'email', values: ['a@b.c'] }] } };
    const trigger = card({
      key: 'new-lead',
      kind: 'trigger',
      output: { type: 'object', required: ['id', 'email'] },
      trigger: {
        type: 'webhook',
        dedupeKey: '{{item.id}}',
        itemOutput: {
          transform: '{ "id": response.id, "email": response.field_data[name="email"].values[0] }',
        },
        webhook: {
          provider: 'meta',
          object: 'page',
          field: 'leadgen',
          routeKey: '{{event.page_id}}',
          subscribe: {
            method: 'POST',
            path: '/101/subscribed_apps',
            query: { subscribed_fields: 'leadgen' },
          },
          fetch: { method: 'GET', path: '/{{event.leadgen_id}}' },
        },
      },
    });
    const subscribed = await executor.runTriggerRequest(trigger, 'subscribe', configuration(), {});
    expect(subscribed.output).toEqual({ success: true });
    const none = await executor.runTriggerRequest(trigger, 'unsubscribe', configuration(), {});
    expect(none).toEqual({ output: null, calls: 0 });
    const fetched = await executor.runTriggerRequest(
      trigger,
      'fetch',
      configuration(),
      {},
      { leadgen_id: 'lead1', page_id: '101' },
    );
    expect(fetched.output).toEqual({ id: 'lead1', email: 'a@b.c' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v25.0/101/subscribed_apps',
      'GET /v25.0/lead1',
    ]);
  });
});
