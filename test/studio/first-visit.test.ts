import { call } from '../api/support/start-test-runtime';
import { seriousAxeViolations } from './support/axe';
import { screenshot } from './support/chromium';
import { startStudioWorld, type StudioWorld } from './support/studio-world';

describe('a first visit to the Studio in Chromium', () => {
  jest.setTimeout(240_000);
  let world: StudioWorld;

  beforeAll(async () => {
    world = await startStudioWorld(__filename);
    // A deployment that already has its owner (created by the CLI for scripts).
    const boot = await call(`${world.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'owner@example.com', workspace: 'Acme' },
    });
    expect(boot.status).toBe(201);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('sends a signed-out person at any Studio address to an accessible sign-in page', async () => {
    const { context, page } = await world.person();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/settings/team');
    await page.getByRole('heading', { name: 'Sign in to Flowcard' }).waitFor();
    await page.getByLabel('Email').waitFor();
    await page.getByLabel('Password').waitFor();
    expect(await page.title()).toBe('Flowcard Studio');
    await screenshot(page, 'sign-in');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
