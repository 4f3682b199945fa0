import { createHmac } from 'node:crypto';
import { startMetaEmulator, type MetaEmulator } from '../src';
import { graph, graphError, type GraphResponse } from './graph-client';

const DAY = 24 * 60 * 60;
const REDIRECT = 'https://app.flowcard.example/connect/meta/callback';

let emulator: MetaEmulator;

beforeAll(async () => {
  emulator = await startMetaEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function openDialog(
  query: Record<string, string>,
  version = 'v25.0',
): Promise<{ status: number; location: URL | null; text: string }> {
  const url = new URL(`${emulator.dialogUrl}/${version}/dialog/oauth`);
  for (const [k, v] of Object.entries({
    client_id: emulator.app.id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    ...query,
  }))
    url.searchParams.set(k, v);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  return {
    status: response.status,
    location: location ? new URL(location) : null,
    text: await response.text(),
  };
}

async function exchangeCode(code: string, secret = emulator.app.secret): Promise<GraphResponse> {
  return graph(emulator, 'GET', '/v25.0/oauth/access_token', {
    query: { client_id: emulator.app.id, redirect_uri: REDIRECT, client_secret: secret, code },
  });
}

async function connect(scope: string): Promise<string> {
  const dialog = await openDialog({ state: 's', scope });
  const exchanged = await exchangeCode(dialog.location?.searchParams.get('code') ?? '');
  return exchanged.body.access_token as string;
}

describe('the login dialog', () => {
  it('auto-consents and redirects to redirect_uri with a code and the state', async () => {
    const dialog = await openDialog({ state: 'abc123', scope: 'pages_show_list,leads_retrieval' });
    expect(dialog.status).toBe(302);
    expect(`${dialog.location?.origin}${dialog.location?.pathname}`).toBe(REDIRECT);
    expect(dialog.location?.searchParams.get('state')).toBe('abc123');
    expect(dialog.location?.searchParams.get('code')).toMatch(/^AQ/);
  });

  it('redirects with error=access_denied and error_reason=user_denied when the test makes the user cancel', async () => {
    emulator.control.setNextDialogOutcome({ deny: true });
    const dialog = await openDialog({ state: 'st', scope: 'pages_show_list' });
    expect(dialog.status).toBe(302);
    expect(dialog.location?.searchParams.get('error')).toBe('access_denied');
    expect(dialog.location?.searchParams.get('error_reason')).toBe('user_denied');
    expect(dialog.location?.searchParams.get('error_description')).toBeTruthy();
    expect(dialog.location?.searchParams.get('state')).toBe('st');
    expect(dialog.location?.searchParams.get('code')).toBeNull();
  });

  it('only applies a chosen outcome to the next dialog', async () => {
    emulator.control.setNextDialogOutcome({ deny: true });
    await openDialog({ scope: 'pages_show_list' });
    const second = await openDialog({ scope: 'pages_show_list' });
    expect(second.location?.searchParams.get('code')).toBeTruthy();
  });

  it('records declined permissions as declined in /me/permissions', async () => {
    emulator.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
    const token = await connect('pages_show_list,pages_manage_posts');
    const permissions = await graph<{ data: { permission: string; status: string }[] }>(
      emulator,
      'GET',
      '/v25.0/me/permissions',
      { token },
    );
    expect(permissions.body.data).toEqual(
      expect.arrayContaining([
        { permission: 'pages_manage_posts', status: 'declined' },
        { permission: 'pages_show_list', status: 'granted' },
      ]),
    );
  });

  it('asks again for a declined permission only with auth_type=rerequest', async () => {
    emulator.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
    await connect('pages_manage_posts');
    const again = await connect('pages_manage_posts');
    const afterPlain = await graph<{ data: { permission: string; status: string }[] }>(
      emulator,
      'GET',
      '/me/permissions',
      { token: again },
    );
    expect(afterPlain.body.data).toContainEqual({ permission: 'pages_manage_posts', status: 'declined' });
    const dialog = await openDialog({ scope: 'pages_manage_posts', auth_type: 'rerequest' });
    const token = (await exchangeCode(dialog.location?.searchParams.get('code') ?? '')).body
      .access_token as string;
    const afterRerequest = await graph<{ data: { permission: string; status: string }[] }>(
      emulator,
      'GET',
      '/me/permissions',
      { token },
    );
    expect(afterRerequest.body.data).toContainEqual({ permission: 'pages_manage_posts', status: 'granted' });
  });

  it('logs in as the user the test chooses, e.g. one who manages no pages', async () => {
    emulator.control.setNextDialogOutcome({ userId: emulator.fixtures.noPagesUser.id });
    const token = await connect('pages_show_list');
    const me = await graph(emulator, 'GET', '/v25.0/me', { token });
    expect(me.body.id).toBe(emulator.fixtures.noPagesUser.id);
    const accounts = await graph<{ data: unknown[] }>(emulator, 'GET', '/v25.0/me/accounts', { token });
    expect(accounts.body.data).toEqual([]);
  });

  it('limits /me/accounts to the pages the user selected', async () => {
    const [bakery] = emulator.fixtures.pages;
    emulator.control.setNextDialogOutcome({ pageIds: [bakery.id] });
    const token = await connect('pages_show_list');
    const accounts = await graph<{ data: { id: string }[] }>(emulator, 'GET', '/v25.0/me/accounts', {
      token,
    });
    expect(accounts.body.data.map((p) => p.id)).toEqual([bakery.id]);
  });

  it('shows an error page instead of redirecting for an unknown scope or app id', async () => {
    expect((await openDialog({ scope: 'read_minds' })).status).toBe(400);
    const wrongApp = await openDialog({ client_id: '42', scope: 'email' });
    expect(wrongApp.status).toBe(400);
    expect(wrongApp.text).toContain('Invalid App ID');
  });

  it('can be scripted through the HTTP control API', async () => {
    await fetch(`${emulator.baseUrl}/__control/oauth/next-dialog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deny: true }),
    });
    const dialog = await openDialog({ scope: 'email' });
    expect(dialog.location?.searchParams.get('error')).toBe('access_denied');
  });
});

describe('the code exchange', () => {
  it('returns a bearer token with expires_in', async () => {
    const dialog = await openDialog({ scope: 'pages_show_list' });
    const exchanged = await exchangeCode(dialog.location?.searchParams.get('code') ?? '');
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toEqual({
      access_token: expect.stringMatching(/^EAAG/),
      token_type: 'bearer',
      expires_in: expect.any(Number),
    });
  });

  it('refuses a code used twice with HTTP 400, code 100, subcode 36009', async () => {
    const dialog = await openDialog({ scope: 'pages_show_list' });
    const code = dialog.location?.searchParams.get('code') ?? '';
    expect((await exchangeCode(code)).status).toBe(200);
    const second = await exchangeCode(code);
    expect(second.status).toBe(400);
    expect(graphError(second)).toMatchObject({ code: 100, error_subcode: 36009, type: 'OAuthException' });
  });

  it('refuses a wrong client secret', async () => {
    const dialog = await openDialog({ scope: 'pages_show_list' });
    const response = await exchangeCode(dialog.location?.searchParams.get('code') ?? '', 'not-the-secret');
    expect(response.status).toBe(400);
    expect(graphError(response).message).toBe('Error validating client secret.');
  });

  it('refuses a redirect_uri different from the dialog one (36008)', async () => {
    const dialog = await openDialog({ scope: 'pages_show_list' });
    const response = await graph(emulator, 'GET', '/v25.0/oauth/access_token', {
      query: {
        client_id: emulator.app.id,
        redirect_uri: 'https://evil.example/cb',
        client_secret: emulator.app.secret,
        code: dialog.location?.searchParams.get('code') ?? '',
      },
    });
    expect(graphError(response)).toMatchObject({ code: 100, error_subcode: 36008 });
  });

  it('refuses a code older than ten minutes (36007)', async () => {
    const dialog = await openDialog({ scope: 'pages_show_list' });
    emulator.control.advanceClock(11 * 60 * 1000);
    const response = await exchangeCode(dialog.location?.searchParams.get('code') ?? '');
    expect(graphError(response)).toMatchObject({ code: 100, error_subcode: 36007 });
  });

  it('exchanges a short-lived token for a long-lived one of about 60 days', async () => {
    const shortLived = await connect('pages_show_list');
    const response = await graph(emulator, 'GET', '/v25.0/oauth/access_token', {
      query: {
        grant_type: 'fb_exchange_token',
        client_id: emulator.app.id,
        client_secret: emulator.app.secret,
        fb_exchange_token: shortLived,
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.access_token).not.toBe(shortLived);
    expect(response.body.expires_in as number).toBeGreaterThan(59 * DAY);
    expect(response.body.expires_in as number).toBeLessThanOrEqual(60 * DAY);
  });

  it('cannot exchange an expired token (190/463)', async () => {
    const shortLived = await connect('pages_show_list');
    emulator.control.advanceClock(2 * 60 * 60 * 1000);
    const response = await graph(emulator, 'GET', '/v25.0/oauth/access_token', {
      query: {
        grant_type: 'fb_exchange_token',
        client_id: emulator.app.id,
        client_secret: emulator.app.secret,
        fb_exchange_token: shortLived,
      },
    });
    expect(response.status).toBe(400);
    expect(graphError(response)).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('issues the app token {app_id}|{app_secret} for client_credentials, accepted as POST form body too', async () => {
    const response = await graph(emulator, 'POST', '/oauth/access_token', {
      form: true,
      body: {
        grant_type: 'client_credentials',
        client_id: emulator.app.id,
        client_secret: emulator.app.secret,
      },
    });
    expect(response.body).toEqual({
      access_token: `${emulator.app.id}|${emulator.app.secret}`,
      token_type: 'bearer',
    });
  });
});

describe('debug_token', () => {
  it('describes a user token: validity, expiry, 90-day data access, scopes and granular scopes with page targets', async () => {
    const f = emulator.fixtures;
    const issuedAt = Math.floor(emulator.control.now().getTime() / 1000);
    const response = await graph<{ data: Record<string, unknown> }>(emulator, 'GET', '/v25.0/debug_token', {
      token: f.app.accessToken,
      query: { input_token: f.user.accessToken },
    });
    const data = response.body.data;
    expect(data).toMatchObject({
      app_id: f.app.id,
      type: 'USER',
      is_valid: true,
      user_id: f.user.id,
      application: f.app.name,
    });
    expect(data.expires_at as number).toBeGreaterThanOrEqual(issuedAt + 60 * DAY - 5);
    expect(data.data_access_expires_at as number).toBeGreaterThanOrEqual(issuedAt + 90 * DAY - 5);
    expect(data.data_access_expires_at as number).toBeLessThanOrEqual(issuedAt + 90 * DAY + 5);
    expect(data.scopes).toEqual(expect.arrayContaining(['pages_show_list', 'leads_retrieval']));
    expect(data.granular_scopes).toContainEqual({ scope: 'pages_show_list', target_ids: f.user.pageIds });
  });

  it('reports a page token as never expiring (expires_at 0) with its profile_id', async () => {
    const page = emulator.fixtures.pages[0];
    const response = await graph<{ data: Record<string, unknown> }>(emulator, 'GET', '/debug_token', {
      token: emulator.fixtures.app.accessToken,
      query: { input_token: page.accessToken },
    });
    expect(response.body.data).toMatchObject({
      type: 'PAGE',
      expires_at: 0,
      is_valid: true,
      profile_id: page.id,
    });
  });

  it('reports an expired token as invalid with the 190 error inside data', async () => {
    emulator.control.expireToken(emulator.fixtures.user.accessToken);
    const response = await graph<{ data: Record<string, unknown> }>(emulator, 'GET', '/debug_token', {
      token: emulator.fixtures.app.accessToken,
      query: { input_token: emulator.fixtures.user.accessToken },
    });
    expect(response.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
  });
});

describe('the user endpoints', () => {
  it('answers /me with id and name, and email when asked for', async () => {
    const f = emulator.fixtures;
    expect((await graph(emulator, 'GET', '/v25.0/me', { token: f.user.accessToken })).body).toEqual({
      id: f.user.id,
      name: f.user.name,
    });
    const withEmail = await graph(emulator, 'GET', '/v25.0/me', {
      token: f.user.accessToken,
      query: { fields: 'id,email,first_name' },
    });
    expect(withEmail.body).toEqual({ id: f.user.id, email: f.user.email, first_name: 'Avery' });
  });

  it('accepts the token from the query, a form body, a JSON body or an Authorization: Bearer header', async () => {
    const token = emulator.fixtures.user.accessToken;
    for (const tokenIn of ['query', 'header'] as const) {
      expect((await graph(emulator, 'GET', '/v25.0/me', { token, tokenIn })).status).toBe(200);
    }
    const page = emulator.fixtures.pages[0];
    for (const form of [true, false]) {
      const posted = await graph(emulator, 'POST', `/v25.0/${page.id}/feed`, {
        token: page.accessToken,
        tokenIn: 'body',
        form,
        body: { message: `token in ${form ? 'form' : 'json'} body` },
      });
      expect(posted.status).toBe(200);
    }
  });

  it('accepts any vNN.N version prefix and unversioned paths', async () => {
    const token = emulator.fixtures.user.accessToken;
    for (const path of ['/v21.0/me', '/v19.0/me', '/me'])
      expect((await graph(emulator, 'GET', path, { token })).status).toBe(200);
  });

  it('lists managed pages with page tokens, categories and tasks, paged with absolute links', async () => {
    const f = emulator.fixtures;
    const first = await graph<{
      data: Record<string, unknown>[];
      paging: { next?: string; previous?: string };
    }>(emulator, 'GET', '/v25.0/me/accounts', { token: f.user.accessToken, query: { limit: 1 } });
    expect(first.body.data).toEqual([
      {
        id: f.pages[0].id,
        name: f.pages[0].name,
        access_token: f.pages[0].accessToken,
        category: 'Bakery',
        category_list: [{ id: expect.any(String), name: 'Bakery' }],
        tasks: f.pages[0].tasks,
      },
    ]);
    expect(first.body.paging.next).toMatch(new RegExp(`^${emulator.baseUrl}/v25.0/me/accounts\\?`));
    const second = await graph<{ data: { id: string }[]; paging: { next?: string; previous?: string } }>(
      emulator,
      'GET',
      first.body.paging.next ?? '',
    );
    expect(second.body.data.map((p) => p.id)).toEqual([f.pages[1].id]);
    expect(second.body.paging.next).toBeUndefined();
    expect(second.body.paging.previous).toBeDefined();
  });

  it('gives a page token from GET /{page-id}?fields=access_token', async () => {
    const page = emulator.fixtures.pages[1];
    const response = await graph(emulator, 'GET', `/v25.0/${page.id}`, {
      token: emulator.fixtures.user.accessToken,
      query: { fields: 'access_token,name' },
    });
    expect(response.body).toEqual({ id: page.id, name: page.name, access_token: page.accessToken });
  });

  it('turns one permission to declined with DELETE /me/permissions/{name}, after which calls needing it fail with 200', async () => {
    const token = emulator.fixtures.user.accessToken;
    expect(
      (await graph(emulator, 'DELETE', '/v25.0/me/permissions/pages_show_list', { token })).body,
    ).toEqual({ success: true });
    const accounts = await graph(emulator, 'GET', '/v25.0/me/accounts', { token });
    expect(graphError(accounts).code).toBe(200);
  });

  it('revokes the whole grant with DELETE /me/permissions: user and page tokens then fail with 190/458', async () => {
    const f = emulator.fixtures;
    expect(
      (await graph(emulator, 'DELETE', '/v25.0/me/permissions', { token: f.user.accessToken })).body,
    ).toEqual({ success: true });
    for (const token of [f.user.accessToken, f.pages[0].accessToken]) {
      const response = await graph(emulator, 'GET', '/v25.0/me', { token });
      expect(graphError(response)).toMatchObject({ code: 190, error_subcode: 458 });
    }
  });

  it('answers /me without a token with code 2500 and a bad token with 190 and WWW-Authenticate', async () => {
    expect(graphError(await graph(emulator, 'GET', '/v25.0/me')).code).toBe(2500);
    const bad = await graph(emulator, 'GET', '/v25.0/me', { token: 'EAAGnotatoken' });
    expect(bad.status).toBe(400);
    expect(graphError(bad)).toMatchObject({
      code: 190,
      type: 'OAuthException',
      fbtrace_id: expect.any(String),
      is_transient: false,
    });
    expect(bad.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_token" ".+"$/);
  });
});

describe('appsecret_proof', () => {
  const proof = (token: string): string =>
    createHmac('sha256', emulator.app.secret).update(token).digest('hex');

  it('is required when the app requires it, and accepted when correct', async () => {
    const token = emulator.fixtures.user.accessToken;
    emulator.control.requireAppsecretProof(true);
    expect(graphError(await graph(emulator, 'GET', '/v25.0/me', { token })).code).toBe(100);
    expect(
      (await graph(emulator, 'GET', '/v25.0/me', { token, query: { appsecret_proof: proof(token) } })).status,
    ).toBe(200);
  });

  it('is rejected with code 100 when wrong, even if the app does not require it', async () => {
    const token = emulator.fixtures.user.accessToken;
    const response = await graph(emulator, 'GET', '/v25.0/me', {
      token,
      query: { appsecret_proof: proof('another token') },
    });
    expect(graphError(response)).toMatchObject({
      code: 100,
      message: 'Invalid appsecret_proof provided in the API argument',
    });
  });

  it('is required from the start when the emulator is started with requireAppsecretProof', async () => {
    const strict = await startMetaEmulator({ requireAppsecretProof: true, appId: '777', appSecret: 'shh' });
    try {
      const token = strict.fixtures.user.accessToken;
      expect((await graph(strict, 'GET', '/me', { token })).status).toBe(400);
      const hmac = createHmac('sha256', 'shh').update(token).digest('hex');
      expect((await graph(strict, 'GET', '/me', { token, query: { appsecret_proof: hmac } })).status).toBe(
        200,
      );
      expect(strict.app).toEqual({ id: '777', secret: 'shh' });
    } finally {
      await strict.close();
    }
  });
});
