import { getBound } from '@flowcard/runtime';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ConfigurationTokens } from '../../runtime/src/configurations/configuration-tokens';
import { startE2e, waitFor, type E2e, type Json } from '../e2e/support/e2e-runtime';
import { seriousAxeViolations } from './support/axe';
import { launchChromium, screenshot } from './support/chromium';
import { READY_MS, buildStudioIfChanged } from './support/studio-world';

/**
 * A run that needs the person: the Page token is expired in the emulator while a run is on its
 * way, the run view shows "waiting for re-authorisation" with a link to the configuration, and once
 * the Page is connected again the same run view, left open, shows the run finishing by itself.
 * (Re-authorising goes through Connect Meta over HTTP here: the hub's Reconnect button belongs to
 * the Integrations page.)
 */
describe('a run waiting for re-authorisation, in Chromium', () => {
  jest.setTimeout(300_000);
  let e2e: E2e;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    buildStudioIfChanged();
    e2e = await startE2e(__filename);
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: e2e.runtime.url,
      viewport: { width: 1440, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${e2e.apiKey}` },
    });
    context.setDefaultTimeout(READY_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close().catch(() => undefined);
    await e2e?.stop();
  });

  it('links a parked run to its configuration and finishes it by itself after re-authorisation', async () => {
    const lead = e2e.fixtures.pages[0];
    const pageConfigurationId = e2e.pageConfigurations[lead.id];
    const flowId = await e2e.enabledFlow({
      name: 'New lead → read it → Workplace',
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: pageConfigurationId,
        input: { pageId: lead.id },
      },
      steps: [
        {
          id: 'lead',
          card: 'facebook-leads/get-lead@1',
          configurationId: pageConfigurationId,
          input: { leadId: '{{trigger.output.id}}' },
        },
        {
          id: 'post',
          card: 'workplace/post-to-group@1',
          configurationId: e2e.workplaceConfigurationId,
          input: { groupId: e2e.fixtures.workplace.groups[0].id, message: 'Lead {{steps.lead.output.id}}' },
        },
      ],
    });

    // The run starts (the trigger read the lead), then the Page token dies before its first step.
    await e2e.engine.runner.queue.pause();
    const created = await e2e.emulator.createLead(lead.forms[0].id, { email: 'parked@mail.example' });
    await e2e.emulator.flushWebhooks();
    const run = await waitFor('the run to be queued', async () =>
      (await e2e.runsOf(flowId)).find((r: Json) => r.dedupeKey === created.id),
    );
    const token = (
      await getBound(e2e.runtime.handle.container, ConfigurationTokens.resolver).resolve(pageConfigurationId)
    ).secrets.accessToken;
    await e2e.emulator.expireToken(token);
    await e2e.engine.runner.queue.resume();

    await page.goto(`/runs/${run.id}`);
    await page.getByTestId('run-status').filter({ hasText: 'Waiting for re-authorisation' }).waitFor();
    const link = page.getByRole('link', { name: 'Reauthenticate the configuration' });
    expect(await link.getAttribute('href')).toBe(
      `/settings/integrations?configuration=${encodeURIComponent(pageConfigurationId)}`,
    );
    await page.getByTestId('node-lead').filter({ hasText: 'Waiting for re-authorisation' }).waitFor();
    await screenshot(page, 'run-view-waiting-for-reauthorisation');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await e2e.connectLeads();
    // The page is left open: it polls, and the run finishes by itself.
    await page.getByTestId('run-status').filter({ hasText: 'Succeeded' }).waitFor();
    await page.getByTestId('node-post').filter({ hasText: 'Succeeded' }).waitFor();
    await page.getByTestId('node-lead').click();
    await page.locator('.attempt').filter({ hasText: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN' }).waitFor();
    await page.locator('.attempt').filter({ hasText: 'Succeeded' }).waitFor();
    expect(errors).toEqual([]);
  });
});
