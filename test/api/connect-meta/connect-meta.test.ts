import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound, Ports } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { metaAppEnv } from '../support/meta-app-env';
import { startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspace-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Every response body of this file, to prove no route answered a Facebook token. */
const answered: string[] = [];

interface Started {
  readonly url: string;
  readonly session: string;
}

describe('Connect Meta', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let base: string;
  let keys: WorkspaceFixture<'owner' | 'admin' | 'member'>['keys'];
  let ids: WorkspaceFixture<'owner' | 'admin' | 'member'>['ids'];
  let workspaceId: string;

  async function api(
    path: string,
    init: { method?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.apiKey) headers.authorization = `Bearer ${init.apiKey}`;
    const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
    });
    const text = await response.text();
    answered.push(text);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // HTML page
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function start(
    apiKey: string,
    connector = 'facebook-pages',
    configurationId?: string,
  ): Promise<Started> {
    const { status, body, headers } = await api('/v1/connect/meta/start', {
      method: 'POST',
      apiKey,
      body: { connector, ...(configurationId ? { configurationId } : {}) },
    });
    expect(status).toBe(200);
    const cookie = /flowcard_meta_session=([^;]+)/.exec(headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBe(body.sessionId);
    return { url: body.url, session: cookie! };
  }

  /** Plays the browser in the Facebook dialog: returns where Facebook sends it back. */
  async function dialog(url: string): Promise<string> {
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return response.headers.get('location')!;
  }

  async function callback(
    callbackUrl: string,
    session: string,
    options: { apiKey?: string; html?: boolean } = {},
  ) {
    return api(callbackUrl, {
      apiKey: options.apiKey,
      headers: {
        cookie: `flowcard_meta_session=${session}`,
        ...(options.html ? { accept: 'text/html' } : { accept: 'application/json' }),
      },
    });
  }

  async function connect(apiKey = keys.owner, connector = 'facebook-pages', configurationId?: string) {
    const started = await start(apiKey, connector, configurationId);
    return callback(await dialog(started.url), started.session);
  }

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    base = runtime.url;
    ({ keys, ids, workspaceId } = await createWorkspaceFixture(runtime, 'Acme', {
      owner: 'owner',
      admin: 'admin',
      member: 'member',
    }));
  });
  afterEach(() => {
    meta.control.clearDialogOutcome();
    meta.control.clearFaults();
    getBound(runtime.handle.container, ConfigurationTokens.clock).reset();
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('redirects to the Facebook dialog with the app, the callback, a state and the connector scopes', async () => {
    const { status, headers } = await api('/v1/connect/meta/start?connector=facebook-leads', {
      apiKey: keys.owner,
    });
    expect(status).toBe(302);
    const location = new URL(headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${meta.dialogUrl}/v25.0/dialog/oauth`);
    expect(location.searchParams.get('client_id')).toBe(meta.app.id);
    expect(location.searchParams.get('redirect_uri')).toBe(
      `${runtime.handle.config.publicUrl}/v1/connect/meta/callback`,
    );
    expect(location.searchParams.get('scope')).toBe(
      'leads_retrieval,pages_show_list,pages_read_engagement,pages_manage_ads,pages_manage_metadata',
    );
    expect(Buffer.from(location.searchParams.get('state')!, 'base64url')).toHaveLength(32);
    expect(location.searchParams.get('auth_type')).toBe('rerequest');
    expect(headers.get('set-cookie')).toMatch(
      /^flowcard_meta_session=[\w-]+; Path=\/v1\/connect\/meta; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );
  });

  it('stores one configuration per Page with its sealed page token, scopes, consent and expiry', async () => {
    const { status, body } = await connect();
    expect(status).toBe(200);
    expect(body.metaUserId).toBe(meta.fixtures.user.id);
    expect(
      body.pages.map((page: { pageName: string; reauthorized: boolean }) => [
        page.pageName,
        page.reauthorized,
      ]),
    ).toEqual([
      ['Flowcard Bakery', false],
      ['Flowcard Bikes', false],
    ]);
    const list = await api('/v1/configurations?connector=facebook-pages', { apiKey: keys.owner });
    const bakery = list.body.configurations.find(
      (configuration: { nickname: string }) => configuration.nickname === 'Flowcard Bakery',
    );
    expect(bakery).toMatchObject({
      ownerId: ids.owner,
      authorizedBy: ids.owner,
      status: 'active',
      values: {
        pageId: meta.fixtures.pages[0]!.id,
        pageName: 'Flowcard Bakery',
        graphBaseUrl: meta.graphUrl,
        graphVersion: 'v25.0',
        accessToken: { set: true },
        userAccessToken: { set: true },
      },
      externalIds: {
        metaUserId: meta.fixtures.user.id,
        metaPageId: meta.fixtures.pages[0]!.id,
        metaAppId: meta.app.id,
      },
    });
    expect(bakery.grantedScopes).toEqual(expect.arrayContaining(['pages_show_list', 'pages_manage_posts']));
    const now = meta.control.now().getTime();
    // A Page token from a long-lived user token never expires by time (debug_token: expires_at 0).
    expect(bakery.expiresAt).toBeNull();
    expect(Math.round((Date.parse(bakery.dataAccessExpiresAt) - now) / DAY)).toBe(90);
    // The stored page token works: the connection test runs the get-page card with it.
    expect(
      (await api(`/v1/configurations/${bakery.id}/test`, { method: 'POST', apiKey: keys.owner })).body,
    ).toEqual({ ok: true, card: 'facebook-pages/get-page@1' });
  });

  it('answers the browser with a small HTML page naming the connected Pages', async () => {
    const started = await start(keys.owner, 'facebook-leads');
    const { status, body, headers } = await callback(await dialog(started.url), started.session, {
      html: true,
    });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(body).toContain('<p id="message">Connected these Pages: Flowcard Bakery, Flowcard Bikes.</p>');
  });

  describe('the seven messages', () => {
    it('"Security check failed. Please try connecting again." for a state used twice or altered', async () => {
      const started = await start(keys.owner);
      const back = await dialog(started.url);
      expect((await callback(back, started.session)).status).toBe(200);
      const reused = await callback(back, started.session);
      expect(reused.status).toBe(400);
      expect(reused.body.error).toEqual({
        code: 'FLOWCARD_ERR_META_STATE_INVALID',
        message: 'Security check failed. Please try connecting again.',
      });

      const other = await start(keys.owner);
      const altered = new URL(await dialog(other.url));
      altered.searchParams.set('state', `${altered.searchParams.get('state')!.slice(0, -2)}xx`);
      const page = await callback(altered.toString(), other.session, { html: true });
      expect(page.status).toBe(400);
      expect(page.body).toContain('<p id="message">Security check failed. Please try connecting again.</p>');
    });

    it('"The connection link expired." when the state is older than 10 minutes', async () => {
      const started = await start(keys.owner);
      const back = await dialog(started.url);
      getBound(runtime.handle.container, ConfigurationTokens.clock).advance(10 * MINUTE + 1_000);
      const { status, body } = await callback(back, started.session);
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_META_STATE_EXPIRED',
        message: 'The connection link expired.',
      });
    });

    it('"Your session changed during the connection." when another session or user comes back', async () => {
      const mine = await start(keys.owner);
      const theirs = await start(keys.admin);
      const back = await dialog(mine.url);
      const otherCookie = await callback(back, theirs.session);
      expect(otherCookie.status).toBe(403);
      expect(otherCookie.body.error).toEqual({
        code: 'FLOWCARD_ERR_META_SESSION_CHANGED',
        message: 'Your session changed during the connection.',
      });

      const again = await start(keys.owner);
      const otherUser = await callback(await dialog(again.url), again.session, { apiKey: keys.admin });
      expect(otherUser.body.error.message).toBe('Your session changed during the connection.');
    });

    it('"You declined the permissions Facebook requested." when a required permission is declined, or the dialog is cancelled', async () => {
      meta.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
      const declined = await connect();
      expect(declined.status).toBe(400);
      expect(declined.body.error).toEqual({
        code: 'FLOWCARD_ERR_META_PERMISSIONS_DECLINED',
        message: 'You declined the permissions Facebook requested.',
      });

      meta.control.setNextDialogOutcome({ deny: true });
      const denied = await connect();
      expect(denied.body.error.message).toBe('You declined the permissions Facebook requested.');
    });

    it('"Your Facebook account doesn\'t manage any Pages yet." for a user without Pages', async () => {
      meta.control.setNextDialogOutcome({ userId: meta.fixtures.noPagesUser.id });
      const { status, body } = await connect();
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_META_NO_PAGES',
        message: "Your Facebook account doesn't manage any Pages yet.",
      });
    });

    it('"Facebook is temporarily unavailable." when Meta answers 5xx', async () => {
      const started = await start(keys.owner);
      const back = await dialog(started.url);
      meta.control.injectTransientErrors({ count: 1, path: 'oauth/access_token' });
      const { status, body } = await callback(back, started.session);
      expect(status).toBe(503);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_META_UNAVAILABLE',
        message: 'Facebook is temporarily unavailable.',
      });
    });

    it('"Your role doesn\'t allow connecting Meta accounts." for a member, and for an admin demoted mid-connection', async () => {
      const member = await api('/v1/connect/meta/start?connector=facebook-pages', { apiKey: keys.member });
      expect(member.status).toBe(403);
      expect(member.body.error).toEqual({
        code: 'FLOWCARD_ERR_META_ROLE_FORBIDDEN',
        message: "Your role doesn't allow connecting Meta accounts.",
      });

      const users = getBound(runtime.handle.container, Ports.users);
      const started = await start(keys.admin);
      const back = await dialog(started.url);
      await users.setMembership(ids.admin, workspaceId, 'member');
      try {
        const page = await callback(back, started.session, { html: true });
        expect(page.status).toBe(403);
        expect(page.body).toContain(
          '<p id="message">Your role doesn&#39;t allow connecting Meta accounts.</p>',
        );
      } finally {
        await users.setMembership(ids.admin, workspaceId, 'admin');
      }
    });
  });

  it('re-authorises a configuration in place: same id, status active again, asking again for declined permissions', async () => {
    const list = await api('/v1/configurations?connector=facebook-pages', { apiKey: keys.owner });
    const bakery = list.body.configurations.find(
      (configuration: { nickname: string }) => configuration.nickname === 'Flowcard Bakery',
    );
    await getBound(runtime.handle.container, ConfigurationTokens.needsReauth).markNeedsReauth(
      bakery.id,
      'Graph error 190/460: password changed',
    );
    expect((await api(`/v1/configurations/${bakery.id}`, { apiKey: keys.owner })).body.status).toBe(
      'needs_reauth',
    );

    const started = await start(keys.owner, 'facebook-pages', bakery.id);
    expect(new URL(started.url).searchParams.get('auth_type')).toBe('rerequest');
    const { body } = await callback(await dialog(started.url), started.session);
    expect(
      body.pages.find((page: { pageId: string }) => page.pageId === meta.fixtures.pages[0]!.id),
    ).toMatchObject({ configurationId: bakery.id, reauthorized: true });
    const after = await api(`/v1/configurations/${bakery.id}`, { apiKey: keys.owner });
    expect(after.body).toMatchObject({ id: bakery.id, status: 'active', nickname: 'Flowcard Bakery' });
    const actions = (
      await api(`/v1/configurations/${bakery.id}/audit`, { apiKey: keys.owner })
    ).body.events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'configuration.created',
        'configuration.needs_reauth',
        'configuration.reauthorized',
      ]),
    );
  });

  it('revokes one Page alone, and revokes the grant at Meta only with its last configuration', async () => {
    const list = (await api('/v1/configurations?connector=facebook-pages', { apiKey: keys.owner })).body
      .configurations;
    const [bakery, bikes] = ['Flowcard Bakery', 'Flowcard Bikes'].map((name) =>
      list.find((configuration: { nickname: string }) => configuration.nickname === name),
    );
    const revocations = () => meta.control.calls({ method: 'DELETE', path: 'permissions' }).length;
    const before = revocations();
    // The leads connector's configurations share the grant too: remove them first.
    for (const leads of (await api('/v1/configurations?connector=facebook-leads', { apiKey: keys.owner }))
      .body.configurations) {
      expect(
        (await api(`/v1/configurations/${leads.id}`, { method: 'DELETE', apiKey: keys.owner })).status,
      ).toBe(204);
    }
    expect(
      (await api(`/v1/configurations/${bakery.id}`, { method: 'DELETE', apiKey: keys.owner })).status,
    ).toBe(204);
    expect(revocations()).toBe(before);
    expect(
      (await api(`/v1/configurations/${bikes.id}/test`, { method: 'POST', apiKey: keys.owner })).body.ok,
    ).toBe(true);
    expect(
      (await api(`/v1/configurations/${bikes.id}`, { method: 'DELETE', apiKey: keys.owner })).status,
    ).toBe(204);
    expect(revocations()).toBe(before + 1);
  });

  it('disconnects all: revokes at Meta and removes every configuration of the grant', async () => {
    await connect();
    const { status, body } = await api(`/v1/connect/meta/connections/${meta.fixtures.user.id}`, {
      method: 'DELETE',
      apiKey: keys.owner,
    });
    expect(status).toBe(200);
    expect(body).toEqual({ removed: 2, revokedAtMeta: true });
    expect(
      (await api('/v1/configurations?connector=facebook-pages', { apiKey: keys.owner })).body.configurations,
    ).toEqual([]);
  });

  it('never answered a Facebook token and never logged one', () => {
    expect(answered.length).toBeGreaterThan(20);
    for (const body of answered) expect(body).not.toContain('EAAGEMU');
    expect(runtime.logs()).not.toContain('EAAGEMU');
    expect(runtime.logs()).not.toContain(meta.app.secret);
  });
});
