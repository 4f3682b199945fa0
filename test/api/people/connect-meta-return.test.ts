import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { Browser } from './support/browser';
import { inviteAndAccept, PASSWORD } from './support/people';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely
type Json = any;

/** The seven failure messages of a Connect Meta attempt, in the order the callback checks them. */
const SEVEN: ReadonlyArray<[string, string]> = [
  ['FLOWCARD_ERR_META_STATE_INVALID', 'Security check failed. Please try connecting again.'],
  ['FLOWCARD_ERR_META_STATE_EXPIRED', 'The connection link expired.'],
  ['FLOWCARD_ERR_META_SESSION_CHANGED', 'Your session changed during the connection.'],
  ['FLOWCARD_ERR_META_ROLE_FORBIDDEN', "Your role doesn't allow connecting Meta accounts."],
  ['FLOWCARD_ERR_META_PERMISSIONS_DECLINED', 'You declined the permissions Facebook requested.'],
  ['FLOWCARD_ERR_META_NO_PAGES', "Your Facebook account doesn't manage any Pages yet."],
  ['FLOWCARD_ERR_META_UNAVAILABLE', 'Facebook is temporarily unavailable.'],
];

/**
 * Connect Meta started from a Studio session (cookie) comes back to the Studio's integrations page
 * with the outcome in the query; started with an API key it keeps answering the HTML page or JSON.
 * Real runtime over HTTP, the emulator playing Facebook's dialog.
 */
describe('Connect Meta from a browser session', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let owner: Browser;
  let member: Browser;
  let ownerKey: string;

  /** The browser clicks "Connect Meta": start → Facebook's dialog → back to the callback. */
  async function connectInBrowser(browser: Browser): Promise<{ callbackPath: string; answer: Json }> {
    const started = await browser.get('/v1/connect/meta/start?connector=facebook-pages');
    expect(started.status).toBe(302);
    const callbackPath = await throughDialog(started.headers.get('location')!);
    return { callbackPath, answer: await browser.get(callbackPath) };
  }

  async function throughDialog(dialogUrl: string): Promise<string> {
    const dialog = await fetch(dialogUrl, { redirect: 'manual' });
    expect(dialog.status).toBe(302);
    const back = new URL(dialog.headers.get('location')!);
    return `${back.pathname}${back.search}`;
  }

  function studioOutcome(answer: Json): Record<string, string> {
    expect(answer.status).toBe(302);
    const location: string = answer.headers.get('location');
    expect(location.startsWith('/settings/integrations?')).toBe(true);
    return Object.fromEntries(new URL(location, 'http://studio.invalid').searchParams);
  }

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    owner = new Browser(runtime.url);
    await owner.post('/v1/setup', {
      workspaceName: 'Bakery',
      name: 'Olga Owner',
      email: 'olga@bakery.example',
      password: PASSWORD,
    });
    ownerKey = (await owner.post('/v1/me/api-keys', { name: 'script' })).body.key;
    member = (await inviteAndAccept(owner, runtime, 'max@bakery.example', 'member', 'Max Member')).browser;
  }, 120_000);

  afterEach(() => {
    meta.control.clearDialogOutcome();
    meta.control.clearFaults();
    getBound(runtime.handle.container, ConfigurationTokens.clock).reset();
  });

  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('serves the seven messages, each with what to do, and the refusal by Meta', async () => {
    const answer = await call(`${runtime.url}/v1/connect/meta/messages`);
    expect(answer.status).toBe(200);
    const messages: Json[] = answer.body.messages;
    expect(messages.slice(0, 7).map((m) => [m.code, m.message])).toEqual(SEVEN);
    expect(messages[7]).toMatchObject({ code: 'FLOWCARD_ERR_META_REFUSED' });
    for (const message of messages) {
      expect(message.whatToDo).toMatch(/^[A-Z].{20,}\.$/);
      expect(message.whatToDo).not.toBe(message.message);
    }
  });

  it('comes back to the Studio with connect=ok after connecting, and the Pages are saved', async () => {
    const { answer } = await connectInBrowser(owner);
    expect(studioOutcome(answer)).toEqual({ connect: 'ok', connector: 'facebook-pages' });
    expect(owner.cookies.has('flowcard_meta_session')).toBe(false);
    expect(owner.cookies.get('flowcard_meta_return')).toBe('studio');
    const saved = (await owner.get('/v1/configurations')).body;
    expect(JSON.stringify(saved)).toContain(meta.fixtures.pages[0]!.name);
    // Nothing secret travels in the URL back to the Studio.
    expect(answer.headers.get('location')).not.toMatch(/EAAG|token|state|code=[^F]/);
  });

  it('keeps answering an API-key start with the HTML page or JSON, never the Studio', async () => {
    const started = await call(`${runtime.url}/v1/connect/meta/start`, {
      method: 'POST',
      apiKey: ownerKey,
      body: { connector: 'facebook-pages' },
    });
    expect(started.status).toBe(200);
    const back = await throughDialog(started.body.url);
    // No Studio return cookie: the callback answers the page, as it always did.
    const page = await fetch(`${runtime.url}${back}`, {
      redirect: 'manual',
      headers: { cookie: `flowcard_meta_session=${started.body.sessionId}`, accept: 'text/html' },
    });
    const html = await page.text();
    expect({ status: page.status, html }).toEqual({
      status: 200,
      html: expect.stringContaining('<h1>Connected to Facebook</h1>'),
    });

    const apiStart = await fetch(`${runtime.url}/v1/connect/meta/start?connector=facebook-pages`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${ownerKey}` },
    });
    expect(apiStart.status).toBe(302);
    expect(apiStart.headers.getSetCookie()).toEqual([
      expect.stringMatching(
        /^flowcard_meta_session=[\w-]+; Path=\/v1\/connect\/meta; Max-Age=600; HttpOnly; SameSite=Lax$/,
      ),
    ]);
    const memberKey = (await member.post('/v1/me/api-keys', { name: 'member script' })).body.key;
    const refused = await call(`${runtime.url}/v1/connect/meta/start?connector=facebook-pages`, {
      apiKey: memberKey,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FLOWCARD_ERR_META_ROLE_FORBIDDEN');
  });

  it('comes back to the Studio with the code of each of the seven failures', async () => {
    const reached: string[] = [];
    const outcome = (answer: Json): string => {
      const { connect, code } = studioOutcome(answer);
      expect(connect).toBe('error');
      reached.push(code!);
      return code!;
    };

    // (Declining comes late in this test: the emulator, like Facebook, remembers a declined permission.)
    // Reloading a used callback: the state is gone.
    const { callbackPath } = await connectInBrowser(owner);
    expect(outcome(await owner.get(callbackPath))).toBe('FLOWCARD_ERR_META_STATE_INVALID');

    const late = await owner.get('/v1/connect/meta/start?connector=facebook-pages');
    const lateBack = await throughDialog(late.headers.get('location')!);
    getBound(runtime.handle.container, ConfigurationTokens.clock).advance(10 * 60_000 + 1_000);
    expect(outcome(await owner.get(lateBack))).toBe('FLOWCARD_ERR_META_STATE_EXPIRED');
    getBound(runtime.handle.container, ConfigurationTokens.clock).reset();

    // The dialog's callback opened with another browser's connect cookie.
    const mine = await owner.get('/v1/connect/meta/start?connector=facebook-pages');
    const mineBack = await throughDialog(mine.headers.get('location')!);
    const other = new Browser(runtime.url);
    other.cookies.set('flowcard_meta_return', 'studio');
    other.cookies.set('flowcard_meta_session', 'another-browser');
    expect(outcome(await other.get(mineBack))).toBe('FLOWCARD_ERR_META_SESSION_CHANGED');

    // A member's click goes straight back with the role message.
    const byMember = await member.get('/v1/connect/meta/start?connector=facebook-pages');
    expect(outcome(byMember)).toBe('FLOWCARD_ERR_META_ROLE_FORBIDDEN');

    meta.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
    expect(outcome((await connectInBrowser(owner)).answer)).toBe('FLOWCARD_ERR_META_PERMISSIONS_DECLINED');

    meta.control.setNextDialogOutcome({ userId: meta.fixtures.noPagesUser.id });
    expect(outcome((await connectInBrowser(owner)).answer)).toBe('FLOWCARD_ERR_META_NO_PAGES');

    const down = await owner.get('/v1/connect/meta/start?connector=facebook-pages');
    const downBack = await throughDialog(down.headers.get('location')!);
    meta.control.injectTransientErrors({ count: 1, path: 'oauth/access_token' });
    expect(outcome(await owner.get(downBack))).toBe('FLOWCARD_ERR_META_UNAVAILABLE');

    expect(reached).toEqual(SEVEN.map(([code]) => code));
  });
});
