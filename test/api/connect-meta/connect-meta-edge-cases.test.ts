import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspace-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

/**
 * A browser's cookie jar for the runtime, reduced to what Connect Meta uses: it keeps the session
 * cookie a response sets and forgets it when a response clears it (Max-Age=0), as a browser would.
 */
class Browser {
  private cookie: string | undefined;

  keep(response: Response): void {
    const header = response.headers.get('set-cookie');
    if (!header) return;
    const value = /flowcard_meta_session=([^;]*)/.exec(header)?.[1];
    this.cookie = /Max-Age=0/.test(header) || !value ? undefined : value;
  }

  async open(url: string): Promise<{ status: number; body: Json }> {
    const response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(this.cookie ? { cookie: `flowcard_meta_session=${this.cookie}` } : {}),
      },
      redirect: 'manual',
    });
    this.keep(response);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

describe('Connect Meta edge cases', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let people: WorkspaceFixture<'owner' | 'member'>;

  /** Starts Connect Meta in `browser` and follows the dialog: returns the callback URL Facebook sends back. */
  async function startAndDialog(browser: Browser, connector = 'facebook-pages'): Promise<string> {
    const started = await fetch(`${runtime.url}/v1/connect/meta/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.keys.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ connector }),
    });
    expect(started.status).toBe(200);
    browser.keep(started);
    const { url } = (await started.json()) as { url: string };
    expect(new URL(url).searchParams.get('auth_type')).toBe('rerequest');
    const dialog = await fetch(url, { redirect: 'manual' });
    return dialog.headers.get('location')!;
  }

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    people = await createWorkspaceFixture(runtime, 'Acme', { owner: 'owner', member: 'member' });
  });
  afterEach(() => meta.control.clearDialogOutcome());
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('asks again after a declined permission: decline, then retry, then connected', async () => {
    const browser = new Browser();
    meta.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
    const declined = await browser.open(await startAndDialog(browser));
    expect(declined.status).toBe(400);
    expect(declined.body.error.message).toBe('You declined the permissions Facebook requested.');

    // The retry is a plain connect (no configuration to re-authorise): Facebook must ask again.
    const retried = await browser.open(await startAndDialog(browser));
    expect(retried.status).toBe(200);
    expect(retried.body.pages.map((page: Json) => page.pageName)).toEqual([
      'Flowcard Bakery',
      'Flowcard Bikes',
    ]);
  });

  it('connects when a forged callback with an altered state arrives before the genuine one', async () => {
    const browser = new Browser();
    const genuine = await startAndDialog(browser, 'facebook-leads');
    const forged = new URL(genuine);
    const state = forged.searchParams.get('state')!;
    forged.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
    const refused = await browser.open(forged.toString());
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('Security check failed. Please try connecting again.');

    const connected = await browser.open(genuine);
    expect(connected.status).toBe(200);
    expect(connected.body.connector).toBe('facebook-leads');
  });

  it('connects when another browser replays the genuine callback first', async () => {
    const browser = new Browser();
    const genuine = await startAndDialog(browser, 'facebook-leads');
    const replayed = await new Browser().open(genuine);
    expect(replayed.status).toBe(403);
    expect(replayed.body.error.message).toBe('Your session changed during the connection.');

    const connected = await browser.open(genuine);
    expect(connected.status).toBe(200);
    // Used once: the same callback again is refused.
    expect((await browser.open(genuine)).body.error.message).toBe(
      'Security check failed. Please try connecting again.',
    );
  });

  it('refuses a member pasting a Page token (403), as Connect Meta does', async () => {
    const { status, body } = await call(`${runtime.url}/v1/configurations`, {
      method: 'POST',
      apiKey: people.keys.member,
      body: {
        connector: 'facebook-pages',
        nickname: 'Pasted Page',
        values: { pageId: meta.fixtures.pages[0]!.id, accessToken: meta.fixtures.pages[0]!.accessToken },
        sharing: { mode: 'workspace' },
      },
    });
    expect(status).toBe(403);
    expect(body.error).toEqual({
      code: 'FLOWCARD_ERR_META_ROLE_FORBIDDEN',
      message: "Your role doesn't allow connecting Meta accounts.",
    });
  });

  it('answers 403, not 404, to a member disconnecting a Meta account whose configurations they can see', async () => {
    const list = await call(`${runtime.url}/v1/configurations?connector=facebook-leads`, {
      apiKey: people.keys.owner,
    });
    const shared = list.body.configurations[0];
    expect(
      (
        await call(`${runtime.url}/v1/configurations/${shared.id}/sharing`, {
          method: 'PUT',
          apiKey: people.keys.owner,
          body: { mode: 'workspace' },
        })
      ).status,
    ).toBe(200);
    const { status, body } = await call(
      `${runtime.url}/v1/connect/meta/connections/${meta.fixtures.user.id}`,
      {
        method: 'DELETE',
        apiKey: people.keys.member,
      },
    );
    expect(status).toBe(403);
    expect(body.error).toEqual({
      code: 'FLOWCARD_ERR_CONFIGURATION_MANAGE_FORBIDDEN',
      message: 'Only the owner of this configuration or a workspace admin can disconnect it',
    });
    // Someone who sees none of them still learns nothing: 404.
    const unknown = await call(`${runtime.url}/v1/connect/meta/connections/999999`, {
      method: 'DELETE',
      apiKey: people.keys.member,
    });
    expect(unknown.status).toBe(404);
  });
});
