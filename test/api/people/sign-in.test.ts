import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { PeopleTokens } from '../../../runtime/src/people/people-tokens';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { Browser, cookieAttributes } from './support/browser';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const PASSWORD = 'correct horse battery staple';

/**
 * First-run setup, sign-in, the session cookie, CSRF and session expiry, through the real API over
 * HTTP (real Redis, jongodb). One runtime; the tests run in order (setup happens once).
 */
describe('setup, sign-in and sessions', () => {
  let runtime: TestRuntime;
  let owner: Browser;
  const clock = () => getBound(runtime.handle.container, PeopleTokens.clock);

  beforeAll(async () => {
    // Limits are sign-in-limits.test.ts's subject; here they must not get in the way of the many sign-ins.
    runtime = await startTestRuntime(__filename, {
      env: { FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '100', FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP: '100' },
    });
    owner = new Browser(runtime.url);
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  afterEach(() => clock().reset());

  it('offers setup while no user exists and names every bad field of the setup form', async () => {
    expect((await owner.get('/v1/setup')).body).toEqual({ needed: true });

    const empty = await owner.post('/v1/setup', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('FLOWCARD_ERR_REQUEST_INVALID');
    expect(empty.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      '/email',
      '/name',
      '/password',
      '/workspaceName',
    ]);

    const bad = await owner.post('/v1/setup', {
      workspaceName: 'x'.repeat(101),
      name: 'Ada',
      email: 'not-an-email',
      password: 'short',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        { where: 'body', path: '/workspaceName', message: 'must be at most 100 characters long' },
        { where: 'body', path: '/email', message: 'must be an email address' },
        { where: 'body', path: '/password', message: 'must be at least 8 characters long' },
      ]),
    );
    expect(bad.body.error.details).toHaveLength(3);

    const blankName = await owner.post('/v1/setup', {
      workspaceName: 'Acme',
      name: '   ',
      email: 'ada@example.com',
      password: PASSWORD,
    });
    expect(blankName.status).toBe(400);
    expect(blankName.body.error).toEqual({
      code: 'FLOWCARD_ERR_REQUEST_INVALID',
      message: 'The request is invalid: body/name must not be empty',
      details: [{ where: 'body', path: '/name', message: 'must not be empty' }],
    });
    expect((await owner.get('/v1/setup')).body).toEqual({ needed: true });
  });

  it('creates the workspace and its owner once, signed in with an HttpOnly SameSite cookie', async () => {
    const created = await owner.post('/v1/setup', {
      workspaceName: ' Acme ',
      name: ' Ada Lovelace ',
      email: 'Ada@Example.com',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      user: { id: expect.any(String), name: 'Ada Lovelace', email: 'ada@example.com' },
      workspace: { id: expect.any(String), name: 'Acme' },
      role: 'owner',
      csrfToken: expect.any(String),
    });
    expect(created.setCookies).toHaveLength(1);
    const cookie = created.setCookies[0]!;
    expect(cookie).toMatch(/^flowcard_session=fcs_[A-Za-z0-9_-]{43};/);
    expect(cookieAttributes(cookie)).toEqual({
      'max-age': String(7 * 24 * 3600),
      path: '/',
      httponly: true,
      samesite: 'Lax',
    });

    expect((await owner.get('/v1/setup')).body).toEqual({ needed: false });
    const again = await new Browser(runtime.url).post('/v1/setup', {
      workspaceName: 'Other',
      name: 'Eve',
      email: 'eve@example.com',
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'FLOWCARD_ERR_SETUP_DONE',
      message: 'Flowcard is already set up; sign in, or ask an owner or admin for an invite',
    });

    const me = await owner.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: created.body.user,
      workspace: created.body.workspace,
      role: 'owner',
      auth: 'session',
      csrfToken: created.body.csrfToken,
    });
  });

  it('closes the bootstrap route once set up, and documents every people route in the OpenAPI', async () => {
    const bootstrap = await call(`${runtime.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'late@example.com', workspace: 'Late' },
    });
    expect(bootstrap.status).toBe(409);
    expect(bootstrap.body.error.code).toBe('FLOWCARD_ERR_BOOTSTRAP_CLOSED');

    const docs = (await call(`${runtime.url}/docs/json`)).body;
    const operations: Array<[string, string, boolean]> = [
      ['/v1/setup', 'get', true],
      ['/v1/setup', 'post', true],
      ['/v1/auth/sign-in', 'post', true],
      ['/v1/auth/sign-out', 'post', false],
      ['/v1/me', 'get', false],
      ['/v1/me/api-keys/', 'get', false],
      ['/v1/me/api-keys/', 'post', false],
      ['/v1/me/api-keys/{id}', 'delete', false],
      ['/v1/team/members', 'get', false],
      ['/v1/team/members/{userId}', 'patch', false],
      ['/v1/team/members/{userId}', 'delete', false],
      ['/v1/team/members/{userId}/removal', 'get', false],
      ['/v1/team/invites', 'get', false],
      ['/v1/team/invites', 'post', false],
      ['/v1/team/invites/{id}', 'delete', false],
      ['/v1/invites/{token}', 'get', true],
      ['/v1/invites/{token}/accept', 'post', true],
      ['/v1/connect/meta/messages', 'get', true],
    ];
    for (const [path, method, isPublic] of operations) {
      const operation = docs.paths[path]?.[method];
      expect({
        path,
        method,
        documented: Boolean(operation?.summary),
        public: operation?.security?.length === 0,
      }).toEqual({ path, method, documented: true, public: isPublic });
    }
    expect(Object.keys(docs.components.securitySchemes)).toEqual(['bearer', 'apiKey', 'session']);
  });

  it('lets the session cookie call every existing route, and asks for the CSRF token on unsafe ones', async () => {
    expect((await owner.get('/v1/catalog/connectors')).status).toBe(200);
    expect((await owner.get('/v1/configurations')).status).toBe(200);
    expect((await owner.get('/v1/flows')).status).toBe(200);

    const missing = await owner.post('/v1/notifications/read-all', undefined, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('FLOWCARD_ERR_CSRF_INVALID');
    const wrong = await owner.post('/v1/notifications/read-all', undefined, { csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('FLOWCARD_ERR_CSRF_INVALID');
    const right = await owner.post('/v1/notifications/read-all');
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ marked: 0 });

    // The token is bound to its session: a second session of the same user has another one.
    const second = new Browser(runtime.url);
    const signedIn = await second.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.csrfToken).not.toBe(owner.csrfToken);
    const crossed = await second.post('/v1/notifications/read-all', undefined, { csrf: owner.csrfToken });
    expect(crossed.status).toBe(403);
    expect(crossed.body.error.code).toBe('FLOWCARD_ERR_CSRF_INVALID');
  });

  it('needs no CSRF token with an API key, which wins over a cookie sent alongside', async () => {
    const created = await createAdmin(
      {
        users: getBound(runtime.handle.container, Ports.users),
        workspaces: getBound(runtime.handle.container, Ports.workspaces),
      },
      { email: 'ada@example.com', workspace: 'Acme', keyName: 'script' },
    );
    const withKey = await call(`${runtime.url}/v1/notifications/read-all`, {
      method: 'POST',
      apiKey: created.apiKey,
    });
    expect(withKey.status).toBe(200);
    const both = await owner.request('/v1/me', { headers: { authorization: `Bearer ${created.apiKey}` } });
    expect(both.body).toMatchObject({ auth: 'api-key', apiKeyId: created.apiKeyId });
    expect(both.body.csrfToken).toBeUndefined();
  });

  it('refuses a wrong password and an unknown email with the same exact message', async () => {
    const browser = new Browser(runtime.url);
    const wrong = await browser.post('/v1/auth/sign-in', {
      email: 'ada@example.com',
      password: 'wrong password',
    });
    const unknown = await browser.post('/v1/auth/sign-in', {
      email: 'nobody@example.com',
      password: PASSWORD,
    });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: { code: 'FLOWCARD_ERR_SIGN_IN_FAILED', message: 'Wrong email or password' },
      });
      expect(answer.setCookies).toEqual([]);
    }
    const badEmail = await browser.post('/v1/auth/sign-in', { email: 'ada', password: PASSWORD });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.details).toEqual([
      { where: 'body', path: '/email', message: 'must be an email address' },
    ]);
    // A cross-site form can post text/plain but not JSON: such a body is never taken as a sign-in.
    const form = await fetch(`${runtime.url}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }),
    });
    expect(form.status).toBe(400);
    expect(form.headers.getSetCookie()).toEqual([]);
    // Any letter case of the email signs in.
    const ok = await browser.post('/v1/auth/sign-in', { email: 'ADA@example.COM', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe('ada@example.com');
  });

  it('ends the earlier session of a browser that signs in again', async () => {
    const browser = new Browser(runtime.url);
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    const first = browser.cookies.get('flowcard_session')!;
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    expect(browser.cookies.get('flowcard_session')).not.toBe(first);
    expect((await browser.get('/v1/me')).status).toBe(200);
    const old = await fetch(`${runtime.url}/v1/me`, { headers: { cookie: `flowcard_session=${first}` } });
    expect(old.status).toBe(401);
  });

  it('signs out: the session is gone for good and the cookie is cleared', async () => {
    const browser = new Browser(runtime.url);
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    const kept = browser.cookies.get('flowcard_session')!;
    const out = await browser.post('/v1/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.setCookies[0]).toMatch(/^flowcard_session=;/);
    expect(browser.cookies.has('flowcard_session')).toBe(false);

    // A copy of the old cookie (kept by an attacker, say) is worthless, and gets cleared.
    const replay = await fetch(`${runtime.url}/v1/me`, { headers: { cookie: `flowcard_session=${kept}` } });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({
      error: {
        code: 'FLOWCARD_ERR_SESSION_EXPIRED',
        message: 'Your session has ended; please sign in again',
      },
    });
    expect(replay.headers.getSetCookie()[0]).toMatch(/^flowcard_session=;/);
    const none = await new Browser(runtime.url).get('/v1/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('FLOWCARD_ERR_AUTH_REQUIRED');
  });

  it('ends a session idle for 12 hours, while activity keeps it alive', async () => {
    const browser = new Browser(runtime.url);
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    clock().advance(12 * HOUR - 2 * 60_000);
    expect((await browser.get('/v1/me')).status).toBe(200);
    clock().advance(12 * HOUR - 2 * 60_000);
    expect((await browser.get('/v1/me')).status).toBe(200);
    clock().advance(12 * HOUR + 60_000);
    const idle = await browser.get('/v1/me');
    expect(idle.status).toBe(401);
    expect(idle.body.error.code).toBe('FLOWCARD_ERR_SESSION_EXPIRED');
  });

  it('ends a session 7 days after sign-in however active it is', async () => {
    const browser = new Browser(runtime.url);
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    // Active every 11 hours: never idle, and alive until the seventh day is over.
    let elapsed = 0;
    while (elapsed + 11 * HOUR < 7 * DAY) {
      clock().advance(11 * HOUR);
      elapsed += 11 * HOUR;
      expect({ elapsed, status: (await browser.get('/v1/me')).status }).toEqual({ elapsed, status: 200 });
    }
    clock().advance(7 * DAY - elapsed);
    const over = await browser.get('/v1/me');
    expect(over.status).toBe(401);
    expect(over.body.error.code).toBe('FLOWCARD_ERR_SESSION_EXPIRED');
  });

  it('deletes expired sessions in the housekeeping sweep', async () => {
    const browser = new Browser(runtime.url);
    await browser.post('/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    clock().advance(12 * HOUR + 60_000);
    const deleted = await getBound(runtime.handle.container, PeopleTokens.sessions).deleteExpired();
    // This session and the earlier tests' ones that idled out with it.
    expect(deleted).toBeGreaterThanOrEqual(1);
    clock().reset();
    // Gone from the store, so even with the clock back it does not come back to life.
    expect((await browser.get('/v1/me')).status).toBe(401);
  });

  it('never writes the password into a log line', () => {
    const logs = runtime.logs();
    expect(logs).toContain('signed in');
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toMatch(/fcs_[A-Za-z0-9_-]{43}/);
  });
});
