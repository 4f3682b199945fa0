import type { Page } from 'playwright-core';
import { startStudioWorld, type StudioWorld } from './support/studio-world';
import { lookAt, pageErrors, signIn } from './support/person';

const OWNER = {
  workspaceName: 'Acme',
  name: 'Olivia Owner',
  email: 'olivia@example.com',
  password: 'correct horse 1',
};

/**
 * An owner's first hour, clicked through in Chromium against the real runtime and the Meta
 * emulator: setup, sign-out and sign-in, the Integrations hub, Workplace and SCIM connections,
 * Connect Meta through the emulator's dialog, Reauthenticate and Disconnect a Page, API keys.
 */
describe('the owner in the Studio', () => {
  jest.setTimeout(300_000);
  let world: StudioWorld;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    world = await startStudioWorld(__filename);
    page = (await world.person()).page;
    errors = pageErrors(page);
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('sets up the workspace on the first visit, with field errors next to the fields', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Welcome to Flowcard' }).waitFor();
    await lookAt(page, 'setup');
    await page.getByLabel('Workspace name').fill(OWNER.workspaceName);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.locator('#' + (await page.getByLabel('Email').getAttribute('id')) + '-error').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await lookAt(page, 'setup-errors');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    expect(page.url()).toBe(`${world.url}/settings/integrations`);
  });

  it('signs out, is refused a wrong password in words, and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Flowcard' }).waitFor();
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await lookAt(page, 'sign-in-wrong-password');
    await signIn(page, OWNER.email, OWNER.password);
  });

  it('shows the catalog with lifecycle badges: Workplace shut down, SCIM still working', async () => {
    const workplace = page.getByRole('article', { name: 'Workplace from Meta' });
    await workplace.getByText('shut down 2026-06-01').waitFor();
    await workplace.getByText(/SCIM cards work against any SCIM 2\.0 service/).waitFor();
    await page.getByRole('article', { name: 'Facebook Pages' }).getByText('active').waitFor();
    await lookAt(page, 'integrations');
  });

  it('connects Workplace with a pasted token: a wrong token fails the test in words, the right one passes', async () => {
    await page.getByRole('button', { name: '+ Connect Workplace from Meta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Workplace from Meta' });
    await dialog.getByText('Impersonate account').waitFor();
    await dialog.getByLabel('Nickname').fill('Acme Workplace');
    await dialog.getByLabel('Access token').fill('not-a-workplace-token');
    await dialog.getByLabel('Graph base URL').fill(world.meta.graphUrl);
    await dialog.getByRole('button', { name: 'Save and test the connection' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The connection test failed' }).waitFor();
    await lookAt(page, 'connect-workplace-test-failed');
    await dialog.getByLabel('Access token').fill(world.meta.fixtures.workplace.adminToken);
    await dialog.getByRole('button', { name: 'Save and test the connection' }).click();
    await dialog.getByText('Connection test passed').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /Acme Workplace/ });
    await row.getByText('accessToken: set').waitFor();
    await row.getByText('Olivia Owner (you)').waitFor();
  });

  it('adds a SCIM provisioning connection, named "Connection-Bearer Token-1" by default, tested on save', async () => {
    await page.getByRole('button', { name: '+ SCIM 2.0 provisioning connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'SCIM 2.0 provisioning connection' });
    expect(await dialog.getByLabel('Connection name').inputValue()).toBe('Connection-Bearer Token-1');
    await dialog.getByLabel('Instance URL').fill(world.meta.scimUrl);
    await dialog.getByLabel('Bearer token').fill(world.meta.fixtures.scim.token);
    await lookAt(page, 'connect-scim');
    await dialog.getByRole('button', { name: 'Save and test the connection' }).click();
    await dialog.getByText('Connection test passed').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row', { name: /Connection-Bearer Token-1/ }).waitFor();
  });

  it('connects Meta through the emulator dialog and lists one row per Page', async () => {
    await page.getByRole('button', { name: 'Connect Meta (Facebook Pages)' }).click();
    await page.waitForURL(/\/settings\/integrations\?connect=ok/);
    await page.getByText('Facebook is connected').waitFor();
    for (const fixture of world.meta.fixtures.pages) {
      const row = page.getByRole('row', { name: new RegExp(fixture.name) }).first();
      await row.getByText(`Page id ${fixture.id}`).waitFor();
      await row.getByText('pages_manage_posts', { exact: false }).waitFor();
      await row.getByText('active').waitFor();
    }
    await lookAt(page, 'integrations-pages');
  });

  it('reauthenticates a Page in place and disconnects another', async () => {
    const [first, second] = world.meta.fixtures.pages;
    await page.getByRole('button', { name: `Reauthenticate ${first!.name}` }).click();
    await page.waitForURL(/connect=ok/);
    await page.getByText('Facebook is connected').waitFor();
    // Re-authorised in place: still one row for the Page, not a second one.
    await page.getByRole('button', { name: `Reauthenticate ${first!.name}` }).waitFor();
    expect(await page.getByRole('button', { name: `Reauthenticate ${first!.name}` }).count()).toBe(1);

    await page.getByRole('button', { name: `Disconnect ${second!.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect ${second!.name}?` });
    await dialog.getByText('No flow uses it.').waitFor();
    await lookAt(page, 'disconnect-page');
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.getByRole('button', { name: `Disconnect ${second!.name}` }).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: `Reauthenticate ${first!.name}` }).count()).toBe(1);
  });

  it('creates a personal API key, shown once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Key name').fill('nightly export');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('New API key').inputValue();
    expect(key).toMatch(/^fc_/);
    const me = await fetch(`${world.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    await page.getByRole('row', { name: /nightly export/ }).waitFor();
    await lookAt(page, 'api-keys');
  });

  it('shows the Meta app settings to the owner', async () => {
    await page.getByRole('link', { name: 'Meta app' }).click();
    await page.getByText(/^The shared Facebook application \(App ID \d+\)/).waitFor();
    await lookAt(page, 'meta-app');
  });
});
