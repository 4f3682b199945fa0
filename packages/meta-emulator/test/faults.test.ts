import { startMetaEmulator, type MetaEmulator } from '../src';
import { graph, graphError, type GraphResponse } from './graph-client';

let emulator: MetaEmulator;

beforeAll(async () => {
  emulator = await startMetaEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

const me = (token = emulator.fixtures.user.accessToken): Promise<GraphResponse> =>
  graph(emulator, 'GET', '/v25.0/me', { token });
const feed = (page = emulator.fixtures.pages[0]): Promise<GraphResponse> =>
  graph(emulator, 'GET', `/v25.0/${page.id}/feed`, { token: page.accessToken });
const usageOf = (header: string | null): Record<string, number> => JSON.parse(header ?? '{}');

function control(path: string, body: unknown = {}, method = 'POST'): Promise<Response> {
  return fetch(`${emulator.baseUrl}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
}

describe('token faults', () => {
  it('expires a token: 190/463 with the WWW-Authenticate header', async () => {
    emulator.control.expireToken(emulator.fixtures.user.accessToken);
    const response = await me();
    expect(response.status).toBe(400);
    expect(graphError(response)).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
    expect(response.headers.get('www-authenticate')).toContain('"invalid_token"');
  });

  it('expires a token by the clock: a long-lived token dies after 60 days', async () => {
    emulator.control.advanceClock(59 * 24 * 60 * 60 * 1000);
    expect((await me()).status).toBe(200);
    emulator.control.advanceClock(2 * 24 * 60 * 60 * 1000);
    expect(graphError(await me()).error_subcode).toBe(463);
  });

  it('kills the user token and its page tokens on a password change (190/460)', async () => {
    const f = emulator.fixtures;
    emulator.control.changePassword(f.user.id);
    expect(graphError(await me())).toMatchObject({ code: 190, error_subcode: 460 });
    expect(graphError(await feed())).toMatchObject({ code: 190, error_subcode: 460 });
    expect((await me(f.noPagesUser.accessToken)).status).toBe(200);
  });

  it('invalidates a token with any 190 subcode, over HTTP too', async () => {
    await control('/tokens/invalidate', { token: emulator.fixtures.user.accessToken, subcode: 467 });
    expect(graphError(await me())).toMatchObject({ code: 190, error_subcode: 467 });
  });

  it('kills page tokens when the user loses their role on the page', async () => {
    const [bakery, bikes] = emulator.fixtures.pages;
    emulator.control.removePageRole(emulator.fixtures.user.id, bakery.id);
    expect(graphError(await feed(bakery)).code).toBe(190);
    expect((await feed(bikes)).status).toBe(200);
  });

  it('removes a permission over HTTP: calls needing it fail with code 200', async () => {
    await control('/permissions/remove', {
      userId: emulator.fixtures.user.id,
      permission: 'pages_read_engagement',
    });
    const response = await feed();
    expect(response.status).toBe(400);
    expect(graphError(response).code).toBe(200);
  });
});

describe('rate limits', () => {
  it.each([4, 17, 613])('limits the app with code %i, HTTP 400 and a full X-App-Usage', async (code) => {
    emulator.control.rateLimit({ code: code as 4 | 17 | 613 });
    const response = await me();
    expect(response.status).toBe(400);
    expect(graphError(response)).toMatchObject({ code, is_transient: true });
    expect(usageOf(response.headers.get('x-app-usage')).call_count).toBe(100);
  });

  it.each([32, 80001])(
    'limits one page with code %i and X-Business-Use-Case-Usage giving minutes to regain access',
    async (code) => {
      const [bakery, bikes] = emulator.fixtures.pages;
      emulator.control.rateLimit({ code: code as 32 | 80001, pageId: bakery.id, minutes: 7 });
      const limited = await feed(bakery);
      expect(limited.status).toBe(400);
      expect(graphError(limited).code).toBe(code);
      const usage = JSON.parse(limited.headers.get('x-business-use-case-usage') ?? '{}');
      expect(usage[bakery.id][0]).toMatchObject({
        type: 'pages',
        call_count: 100,
        estimated_time_to_regain_access: 7,
      });
      expect((await feed(bikes)).status).toBe(200);
    },
  );

  it('limits only leadgen calls of a page with 80005', async () => {
    const bakery = emulator.fixtures.pages[0];
    emulator.control.rateLimit({ code: 80005, pageId: bakery.id });
    const leads = await graph(emulator, 'GET', `/v25.0/${bakery.forms[0].id}/leads`, {
      token: bakery.accessToken,
    });
    expect(graphError(leads).code).toBe(80005);
    expect(JSON.parse(leads.headers.get('x-business-use-case-usage') ?? '{}')[bakery.id][0].type).toBe(
      'leadgen',
    );
    expect((await feed(bakery)).status).toBe(200);
  });

  it('lifts a limit once its minutes have passed on the emulator clock', async () => {
    emulator.control.rateLimit({ code: 4, minutes: 5 });
    expect((await me()).status).toBe(400);
    emulator.control.advanceClock(5 * 60 * 1000 + 1);
    expect((await me()).status).toBe(200);
  });

  it('uses another HTTP status when the test asks for one', async () => {
    emulator.control.rateLimit({ code: 4, httpStatus: 429 });
    expect((await me()).status).toBe(429);
  });

  it('is set over HTTP and cleared with faults/clear', async () => {
    await control('/rate-limits', { code: 17, userId: emulator.fixtures.user.id });
    expect(graphError(await me()).code).toBe(17);
    expect((await me(emulator.fixtures.noPagesUser.accessToken)).status).toBe(200);
    await control('/faults/clear');
    expect((await me()).status).toBe(200);
  });

  it('refuses an unknown rate-limit code over HTTP with 400', async () => {
    const response = await control('/rate-limits', { code: 999 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('80005');
  });
});

describe('transient errors', () => {
  it('fails the next N calls with HTTP 500, code 2 and is_transient, then recovers', async () => {
    emulator.control.injectTransientErrors({ count: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await me();
      expect(response.status).toBe(500);
      expect(graphError(response)).toMatchObject({ code: 2, is_transient: true });
    }
    expect((await me()).status).toBe(200);
  });

  it('fails with code 1 on request, only on matching paths', async () => {
    emulator.control.injectTransientErrors({ count: 1, code: 1, path: 'oauth/access_token' });
    expect((await me()).status).toBe(200);
    const exchange = await graph(emulator, 'GET', '/v25.0/oauth/access_token', {
      query: {
        grant_type: 'client_credentials',
        client_id: emulator.app.id,
        client_secret: emulator.app.secret,
      },
    });
    expect(graphError(exchange)).toMatchObject({ code: 1, is_transient: true });
  });

  it('fails a percentage of calls', async () => {
    emulator.control.injectTransientErrors({ percent: 50, seed: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await me()).status);
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
  });
});

describe('latency', () => {
  it('delays responses by the configured milliseconds', async () => {
    emulator.control.setLatency(120);
    const started = Date.now();
    await me();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('usage headers', () => {
  it('raise X-App-Usage call_count with traffic within the window and reset after it', async () => {
    emulator.control.setUsageBudget({ appCalls: 10, windowMs: 60_000 });
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) counts.push(usageOf((await me()).headers.get('x-app-usage')).call_count);
    expect(counts).toEqual([10, 20, 30, 40, 50]);
    emulator.control.advanceClock(60_000);
    expect(usageOf((await me()).headers.get('x-app-usage')).call_count).toBe(10);
  });

  it('count per page in X-Business-Use-Case-Usage', async () => {
    const [bakery, bikes] = emulator.fixtures.pages;
    emulator.control.setUsageBudget({ pageCalls: 4 });
    await feed(bakery);
    const second = await feed(bakery);
    const other = await feed(bikes);
    expect(JSON.parse(second.headers.get('x-business-use-case-usage') ?? '{}')[bakery.id][0].call_count).toBe(
      50,
    );
    expect(JSON.parse(other.headers.get('x-business-use-case-usage') ?? '{}')[bikes.id][0].call_count).toBe(
      25,
    );
  });

  it('throttle past 100% when enforcement is on', async () => {
    emulator.control.setUsageBudget({ appCalls: 2, enforce: true });
    await me();
    await me();
    const third = await me();
    expect(graphError(third).code).toBe(4);
  });
});

describe('the call log', () => {
  it('records method, path, token kind and page so tests can count calls per page', async () => {
    const [bakery, bikes] = emulator.fixtures.pages;
    await feed(bakery);
    await feed(bakery);
    await feed(bikes);
    await me();
    expect(emulator.control.calls({ pageId: bakery.id })).toHaveLength(2);
    expect(emulator.control.calls({ tokenKind: 'user' })).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: 'me',
        version: 'v25.0',
        status: 200,
        time: expect.any(Number),
      }),
    ]);
    const overHttp = (await (await control(`/calls?pageId=${bikes.id}`, undefined, 'GET')).json()) as {
      count: number;
    };
    expect(overHttp.count).toBe(1);
  });

  it('records failures with their error code', async () => {
    await me('nope');
    expect(emulator.control.calls()).toEqual([expect.objectContaining({ status: 400, errorCode: 190 })]);
  });
});

describe('the clock and reset', () => {
  it('moves the clock with advance and set, over HTTP too', async () => {
    const before = emulator.control.now().getTime();
    await control('/clock/advance', { ms: 3_600_000 });
    expect(emulator.control.now().getTime() - before).toBeGreaterThanOrEqual(3_600_000);
    await control('/clock/set', { now: '2026-03-01T00:00:00Z' });
    expect(Math.abs(emulator.control.now().getTime() - Date.parse('2026-03-01T00:00:00Z'))).toBeLessThan(
      1000,
    );
  });

  it('goes back to the seed state with POST /__control/reset', async () => {
    const bakery = emulator.fixtures.pages[0];
    await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'Temporary' },
    });
    emulator.control.changePassword(emulator.fixtures.user.id);
    expect((await control('/reset')).status).toBe(200);
    expect((await me()).status).toBe(200);
    const posts = await graph<{ data: { message: string }[] }>(emulator, 'GET', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
    });
    expect(posts.body.data.map((p) => p.message)).not.toContain('Temporary');
  });

  it('serves the fixtures over HTTP', async () => {
    const fixtures = await (await control('/fixtures', undefined, 'GET')).json();
    expect(fixtures).toEqual(JSON.parse(JSON.stringify(emulator.fixtures)));
  });

  it('answers an unknown control call with 404', async () => {
    expect((await control('/no-such-thing')).status).toBe(404);
  });
});
