import type { BrowserContext, Page, Route } from 'playwright-core';
import { getBound } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../runtime/src/configurations/configuration-tokens';
import { startStudioWorld, type StudioWorld } from './support/studio-world';
import { lookAt, pageErrors } from './support/person';

const MINUTE = 60_000;
const START = '**/v1/connect/meta/start**';

/**
 * Every way Connect Meta can fail, reached in Chromium through the Studio's button and the
 * emulator's dialog, each showing its exact message, what to do, and Try again.
 */
describe('Connect Meta failures in the Studio', () => {
  jest.setTimeout(300_000);
  let world: StudioWorld;
  let owner: { context: BrowserContext; page: Page };
  let errors: string[];
  let ownerCsrf: string;
  let messages: Array<{ code: string; message: string; whatToDo: string }>;

  beforeAll(async () => {
    world = await startStudioWorld(__filename);
    owner = await world.person();
    errors = pageErrors(owner.page);
    const setup = await owner.context.request.post('/v1/setup', {
      data: {
        workspaceName: 'Acme',
        name: 'Olivia Owner',
        email: 'olivia@example.com',
        password: 'owner password 1',
      },
    });
    expect(setup.status()).toBe(201);
    ownerCsrf = ((await setup.json()) as { csrfToken: string }).csrfToken;
    messages = (
      (await (await fetch(`${world.url}/v1/connect/meta/messages`)).json()) as { messages: typeof messages }
    ).messages;
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(async () => {
    await owner.page.unrouteAll({ behavior: 'wait' });
    world.meta.control.clearFaults();
    world.meta.control.clearDialogOutcome();
    expect(errors).toEqual([]);
  });

  const text = (code: string): { message: string; whatToDo: string } => {
    const found = messages.find((entry) => entry.code === `FLOWCARD_ERR_META_${code}`);
    if (!found) throw new Error(`no message for ${code}`);
    return found;
  };

  /** Clicks Connect Meta on the hub and waits for the Studio to show the failure of `code`. */
  async function connectAndExpect(page: Page, code: string, screenshotName: string): Promise<void> {
    await page.goto('/settings/integrations');
    await page.getByRole('button', { name: 'Connect Meta (Facebook Pages)' }).click();
    await expectFailure(page, code, screenshotName);
  }

  async function expectFailure(page: Page, code: string, screenshotName: string): Promise<void> {
    await page.waitForURL(new RegExp(`connect=error&code=FLOWCARD_ERR_META_${code}`));
    const alert = page.getByRole('alert');
    await alert.getByText(text(code).message, { exact: true }).waitFor();
    await alert.getByText(text(code).whatToDo, { exact: true }).waitFor();
    await alert.getByRole('button', { name: 'Try again' }).waitFor();
    await lookAt(page, screenshotName);
  }

  /**
   * Runs `during` once the connection has started (its state exists) and before the browser goes
   * to Facebook and back. (Playwright intercepts only the first request of a redirect chain, so
   * the start is fetched here, with the browser's cookies, and its 302 handed to the browser.)
   */
  async function afterStart(
    page: Page,
    during: () => Promise<void>,
    options: { loseSessionCookie?: boolean } = {},
  ): Promise<void> {
    await page.route(START, async (route: Route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      await during();
      if (!options.loseSessionCookie) return route.fulfill({ response });
      // The browser drops the connection's cookie (route.fetch stored it in the context too).
      await page.context().clearCookies({ name: 'flowcard_meta_session' });
      const headers = response.headers();
      headers['set-cookie'] = (headers['set-cookie'] ?? '')
        .split('\n')
        .filter((cookie) => !cookie.startsWith('flowcard_meta_session='))
        .join('\n');
      return route.fulfill({ response, headers });
    });
  }

  it('declined permission: says so and asks Facebook again for it', async () => {
    world.meta.control.setNextDialogOutcome({ declinedPermissions: ['pages_manage_posts'] });
    await connectAndExpect(owner.page, 'PERMISSIONS_DECLINED', 'connect-error-declined');
    await owner.page.getByRole('button', { name: 'Try again and allow the permissions' }).click();
    await owner.page.waitForURL(/connect=ok/);
    await owner.page.getByText('Facebook is connected').waitFor();
    await owner.page
      .getByRole('row', { name: new RegExp(world.meta.fixtures.pages[0]!.name) })
      .first()
      .waitFor();
  });

  it('no Pages: says the account manages none, and Try again connects once it does', async () => {
    world.meta.control.setNextDialogOutcome({ userId: world.meta.fixtures.noPagesUser.id });
    await connectAndExpect(owner.page, 'NO_PAGES', 'connect-error-no-pages');
    await owner.page.getByRole('button', { name: 'Try again' }).click();
    await owner.page.waitForURL(/connect=ok/);
  });

  it('Facebook unavailable: a transient Graph failure while exchanging the code', async () => {
    world.meta.control.injectTransientErrors({ percent: 100, path: 'oauth/access_token' });
    await connectAndExpect(owner.page, 'UNAVAILABLE', 'connect-error-unavailable');
  });

  it('link expired: the dialog stayed open longer than 10 minutes', async () => {
    const clock = getBound(world.runtime.handle.container, ConfigurationTokens.clock);
    await afterStart(owner.page, async () => clock.advance(10 * MINUTE + 1_000));
    try {
      await connectAndExpect(owner.page, 'STATE_EXPIRED', 'connect-error-expired');
    } finally {
      clock.reset();
    }
  });

  it('security check: the return link replayed (Back, then forward again)', async () => {
    let callbackUrl = '';
    owner.page.on('request', (request) => {
      if (request.url().includes('/v1/connect/meta/callback')) callbackUrl = request.url();
    });
    await owner.page.goto('/settings/integrations');
    await owner.page.getByRole('button', { name: 'Connect Meta (Facebook Pages)' }).click();
    await owner.page.waitForURL(/connect=ok/);
    expect(callbackUrl).toContain('state=');
    await owner.page.goto(callbackUrl);
    await expectFailure(owner.page, 'STATE_INVALID', 'connect-error-security');
  });

  it("session changed: the browser lost the connection's cookie while on Facebook", async () => {
    await afterStart(owner.page, async () => undefined, { loseSessionCookie: true });
    await connectAndExpect(owner.page, 'SESSION_CHANGED', 'connect-error-session');
  });

  it('role: an admin demoted to member while the dialog was open', async () => {
    const invite = await owner.context.request.post('/v1/team/invites', {
      headers: { 'x-csrf-token': ownerCsrf },
      data: { email: 'adam@example.com', role: 'admin' },
    });
    expect(invite.status()).toBe(201);
    const { link } = (await invite.json()) as { link: string };
    const adam = await world.person();
    const adamErrors = pageErrors(adam.page);
    const accepted = await adam.context.request.post(`/v1/invites/${link.split('/invite/')[1]}/accept`, {
      data: { name: 'Adam Admin', password: 'admin password 1' },
    });
    expect(accepted.status()).toBe(201);
    const adamId = ((await accepted.json()) as { user: { id: string } }).user.id;
    await afterStart(adam.page, async () => {
      const demoted = await owner.context.request.patch(`/v1/team/members/${adamId}`, {
        headers: { 'x-csrf-token': ownerCsrf },
        data: { role: 'member' },
      });
      expect(demoted.status()).toBe(200);
    });
    await connectAndExpect(adam.page, 'ROLE_FORBIDDEN', 'connect-error-role');
    expect(adamErrors).toEqual([]);
    await adam.context.close();
  });
});
