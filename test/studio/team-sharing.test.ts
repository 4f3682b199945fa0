import type { BrowserContext, Page, Response } from 'playwright-core';
import { startStudioWorld, type StudioWorld } from './support/studio-world';
import { lookAt, pageErrors } from './support/person';

/**
 * An owner invites a teammate and shares a Workplace configuration with them; the member signs in
 * with the invite link, can use it, and the token is nowhere they can look: DOM, storage, or any
 * answer the browser received. Then roles change, the configuration moves, and the member leaves.
 */
describe('a teammate in the Studio', () => {
  jest.setTimeout(300_000);
  let world: StudioWorld;
  let owner: { context: BrowserContext; page: Page };
  let member: { context: BrowserContext; page: Page };
  let ownerErrors: string[];
  let memberErrors: string[];
  let inviteLink: string;
  const memberBodies: string[] = [];

  beforeAll(async () => {
    world = await startStudioWorld(__filename);
    owner = await world.person();
    member = await world.person();
    ownerErrors = pageErrors(owner.page);
    memberErrors = pageErrors(member.page);
    // Record every answer the member's browser receives, bodies included.
    member.page.on('response', (response: Response) => {
      void response
        .text()
        .then((text) => memberBodies.push(`${response.url()}\n${text}`))
        .catch(() => undefined);
    });
    const setup = await owner.context.request.post('/v1/setup', {
      data: {
        workspaceName: 'Acme',
        name: 'Olivia Owner',
        email: 'olivia@example.com',
        password: 'owner password 1',
      },
    });
    expect(setup.status()).toBe(201);
    const { csrfToken } = (await setup.json()) as { csrfToken: string };
    const created = await owner.context.request.post('/v1/configurations', {
      headers: { 'x-csrf-token': csrfToken },
      data: {
        connector: 'workplace',
        nickname: 'Acme Workplace',
        values: { accessToken: world.meta.fixtures.workplace.adminToken, graphBaseUrl: world.meta.graphUrl },
      },
    });
    expect(created.status()).toBe(201);
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => {
    expect({ ownerErrors, memberErrors }).toEqual({ ownerErrors: [], memberErrors: [] });
  });

  it('invites a member by email and shows the single-use link to copy', async () => {
    const { page } = owner;
    await page.goto('/settings/team');
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    await page.getByRole('row', { name: /Olivia Owner \(you\)/ }).waitFor();
    await page.getByLabel('Email').fill('not an email');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.getByText('must be an email address').waitFor();
    await page.getByLabel('Email').fill('mia@example.com');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    inviteLink = await page.getByLabel('Invite link').inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${world.url}/invite/.+`));
    await page
      .getByRole('row', { name: /mia@example\.com/ })
      .getByText('pending')
      .waitFor();
    await lookAt(page, 'team-invite');
  });

  it('lets the invited person join with the link; a used link then says so', async () => {
    const { page } = member;
    await page.goto(inviteLink);
    await page.getByRole('heading', { name: 'Join Flowcard' }).waitFor();
    await page.getByText('mia@example.com').waitFor();
    await lookAt(page, 'invite-accept');
    await page.getByLabel('Your name').fill('Mia Member');
    await page.getByLabel('Choose a password').fill('short');
    await page.getByRole('button', { name: 'Join the workspace' }).click();
    await page.getByText('must be at least 8 characters long').waitFor();
    await page.getByLabel('Choose a password').fill('member password 1');
    await page.getByRole('button', { name: 'Join the workspace' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();

    const other = await world.person();
    await other.page.goto(inviteLink);
    await other.page.getByRole('alert').filter({ hasText: 'This invite has already been used' }).waitFor();
    await lookAt(other.page, 'invite-used');
    await other.context.close();
  });

  it('shares the Workplace configuration with the member, picked by name', async () => {
    const { page } = owner;
    await page.goto('/settings/integrations');
    await page.getByRole('button', { name: 'Share Acme Workplace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share Acme Workplace' });
    await dialog.getByLabel('Selected people').check();
    await dialog.getByLabel('Find by name or email').fill('mia');
    await dialog.getByLabel('Mia Member (mia@example.com)').check();
    await lookAt(page, 'share-dialog');
    await dialog.getByRole('button', { name: 'Save sharing' }).click();
    await page
      .getByRole('row', { name: /Acme Workplace/ })
      .getByText('Shared with Mia Member')
      .waitFor();
  });

  it('gives the member the configuration to use, the Workplace button disabled with its reason, and a read-only team', async () => {
    const { page } = member;
    await page.goto('/settings/integrations');
    const row = page.getByRole('row', { name: /Acme Workplace/ });
    await row.getByText('You may use it in flows').waitFor();
    await row.getByText('Olivia Owner').waitFor();
    const connect = page.getByRole('button', { name: '+ Connect Workplace from Meta' });
    expect(await connect.isDisabled()).toBe(true);
    const reasonId = await connect.getAttribute('aria-describedby');
    expect(await page.locator(`#${reasonId}`).textContent()).toBe(
      'Only owners and admins can add this connection: ask one of them.',
    );
    expect(await page.getByRole('button', { name: 'Connect Meta (Facebook Pages)' }).isDisabled()).toBe(true);
    await lookAt(page, 'integrations-member');

    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByText('Only owners and admins can invite').waitFor();
    await page.getByRole('row', { name: /Olivia Owner/ }).waitFor();
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Remove/ }).count()).toBe(0);
    await lookAt(page, 'team-member');
  });

  it('never lets the token reach the member: not in the DOM, storage or any answer', async () => {
    const { page } = member;
    await page.goto('/settings/integrations');
    await page.getByRole('row', { name: /Acme Workplace/ }).waitFor();
    const token = world.meta.fixtures.workplace.adminToken;
    const dom = await page.content();
    const storage = await page.evaluate(
      'JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })',
    );
    expect(memberBodies.length).toBeGreaterThan(10);
    expect(memberBodies.some((body) => body.includes('/v1/configurations'))).toBe(true);
    expect({
      inDom: dom.includes(token),
      inStorage: String(storage).includes(token),
      inAnswers: memberBodies.filter((body) => body.includes(token)).map((body) => body.split('\n')[0]),
    }).toEqual({ inDom: false, inStorage: false, inAnswers: [] });
  });

  it('promotes the member, transfers the configuration to them, and removes them with the ownership dialog', async () => {
    const { page } = owner;
    await page.goto('/settings/team');
    const changed = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await page.getByLabel('Role of Mia Member').selectOption('admin');
    expect((await changed).status()).toBe(200);
    await page.goto('/settings/integrations');
    await page.getByRole('button', { name: 'Transfer Acme Workplace' }).click();
    const transfer = page.getByRole('dialog', { name: 'Transfer Acme Workplace' });
    await transfer.getByLabel('New owner').selectOption({ label: 'Mia Member (mia@example.com, admin)' });
    await transfer.getByRole('button', { name: 'Transfer', exact: true }).click();
    await transfer.waitFor({ state: 'detached' });
    await page
      .getByRole('row', { name: /Acme Workplace/ })
      .getByRole('cell', { name: 'Mia Member', exact: true })
      .waitFor();

    await page.goto('/settings/team');
    await page.getByRole('button', { name: 'Remove Mia Member' }).click();
    const removal = page.getByRole('dialog', { name: 'Remove Mia Member?' });
    await removal.getByText('Configuration “Acme Workplace” (workplace)').waitFor();
    await removal.getByLabel('Transfer to').selectOption({ label: 'Olivia Owner (olivia@example.com)' });
    await lookAt(page, 'team-remove-member');
    await removal.getByRole('button', { name: 'Transfer and remove' }).click();
    await page.getByRole('row', { name: /Mia Member/ }).waitFor({ state: 'detached' });
    await page.goto('/settings/integrations');
    await page
      .getByRole('row', { name: /Acme Workplace/ })
      .getByText('Olivia Owner (you)')
      .waitFor();
  });
});
