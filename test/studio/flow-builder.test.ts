import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startE2e, waitFor, type E2e, type Json } from '../e2e/support/e2e-runtime';
import { seriousAxeViolations } from './support/axe';
import { launchChromium, screenshot } from './support/chromium';
import { READY_MS, buildStudioIfChanged } from './support/studio-world';

/**
 * The flow builder in real Chromium against a whole runtime (API, worker, scheduler on Redis and
 * jongodb, the embedded Meta emulator): the flows list, building the demo flow by dragging cards
 * and filling forms, saving, enabling, and the run it makes appearing live on the run view.
 * The browser authenticates with the owner's API key (one header on every request of the context).
 */
describe('the flow builder in Chromium', () => {
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
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await e2e?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext({
      baseURL: e2e.runtime.url,
      viewport: { width: 1440, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${e2e.apiKey}` },
    });
    context.setDefaultTimeout(READY_MS);
    context.setDefaultNavigationTimeout(READY_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
  });
  afterEach(async () => {
    await context.close();
    expect(errors.splice(0)).toEqual([]);
  });

  const fixturePage = (): Json => e2e.fixtures.pages[0];
  const paletteCard = (ref: string): Locator => page.locator(`.palette [data-card-ref="${ref}"]`);
  const field = (id: string): Locator => page.locator(`[id="${id}"]`);
  const nickname = async (configurationId: string): Promise<string> =>
    (await e2e.api(`/v1/configurations/${configurationId}`)).body.nickname;

  /** Picks a configuration by its label as the picker shows it. */
  async function chooseConfiguration(configurationId: string): Promise<void> {
    const picker = page.locator('#configuration-picker');
    const name = await nickname(configurationId);
    await picker.locator('option', { hasText: name }).first().waitFor({ state: 'attached' });
    await picker.selectOption({ label: `${name} — connected` });
  }

  /** Chooses an option of a dynamic dropdown once the API has listed it. */
  async function chooseOption(id: string, label: string): Promise<void> {
    await field(id).locator('option', { hasText: label }).first().waitFor({ state: 'attached' });
    await field(id).selectOption({ label });
  }

  async function insertData(group: RegExp, template: string): Promise<void> {
    const list = page.locator('#data-picker-list');
    if (!(await list.isVisible())) await page.getByRole('button', { name: 'Insert data' }).click();
    await list.getByRole('region', { name: group }).locator(`[data-template="${template}"]`).click();
  }

  /** Runs Test step / Load sample and answers what the panel says about it. */
  async function testStep(button: string): Promise<string> {
    await page.getByRole('button', { name: button }).click();
    const result = page.locator('.test-step .test-result, .test-step .field-error').first();
    await result.waitFor();
    return result.innerText();
  }

  it('lists flows with trigger, state, last run and owner; renames, duplicates, runs, disables and deletes', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(fixturePage().id, 'list'));
    await page.goto('/flows');
    const row = page.locator(`tr[data-flow-id="${flowId}"]`);
    await row.waitFor();
    await expectText(row, 'New lead → Workplace (list)');
    await expectText(row, 'New lead · facebook-leads');
    await expectText(row, 'Never run');
    await expectText(row, 'You');
    expect(await row.getByRole('switch').isChecked()).toBe(true);

    await row.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('status').getByRole('link', { name: 'Open the run' }).waitFor();
    await row.locator('.last-run').waitFor();

    await row.getByRole('button', { name: /^Rename/ }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Leads to the bakery group');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expectText(row, 'Leads to the bakery group');
    expect((await e2e.api(`/v1/flows/${flowId}`)).body.name).toBe('Leads to the bakery group');

    await row.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('link', { name: 'Leads to the bakery group (copy)' }).waitFor();

    await row.getByRole('switch').click();
    await waitFor(
      'the flow to be disabled',
      async () => !(await e2e.api(`/v1/flows/${flowId}`)).body.enabled,
    );
    await screenshot(page, 'flows-list');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await row.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('dialog').getByText('Its runs stay readable').waitFor();
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect((await e2e.api(`/v1/flows/${flowId}`)).status).toBe(200);
    await row.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('button', { name: 'Delete the flow' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await e2e.api(`/v1/flows/${flowId}`)).status).toBe(404);
  });

  it('builds the demo flow by dragging cards and filling forms, saves, enables it, and shows its run live', async () => {
    const lead = fixturePage();
    const group = e2e.fixtures.workplace.groups[0];
    const salesLead = e2e.fixtures.workplace.members[1];
    await page.goto('/flows');
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Leads to Workplace');
    await page.getByRole('button', { name: 'Open the editor' }).click();
    await page.getByRole('heading', { name: 'Choose a trigger' }).waitFor();

    // The trigger: dragged from the palette onto its slot; page and form from the dynamic dropdowns.
    await paletteCard('facebook-leads/new-lead@1').dragTo(page.getByTestId('node-placeholder-trigger'));
    await page.getByRole('heading', { name: 'New lead', level: 2 }).waitFor();
    await chooseConfiguration(e2e.pageConfigurations[lead.id]);
    await chooseOption('in.pageId', lead.name);
    await chooseOption('in.formId', lead.forms[0].name);
    expect(await testStep('Load sample')).toContain('A recent real item');

    // Step 1: post to a group, dropped on the end of the flow; the message from the data picker.
    await paletteCard('workplace/post-to-group@1').dragTo(page.getByTestId('node-end'));
    await page.getByRole('heading', { name: 'Post to a group', level: 2 }).waitFor();
    await chooseConfiguration(e2e.workplaceConfigurationId);
    await chooseOption('in.groupId', group.name);
    await field('in.message').click();
    await page.keyboard.type('New lead: ');
    await insertData(/^Trigger/, '{{trigger.output.fields.full_name}}');
    await page.keyboard.type(' <');
    await insertData(/^Trigger/, '{{trigger.output.fields.email}}');
    await page.keyboard.type('>');
    expect(await testStep('Test step')).toContain('The step worked');
    await expectText(page.getByLabel('Test output'), `"id": "${group.id}_`);
    expect(await field('in.message').inputValue()).toBe(
      'New lead: {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
    );
    await screenshot(page, 'editor-side-panel');

    // Step 2: message the sales lead, dropped on the end again.
    await paletteCard('workplace/send-message@1').dragTo(page.getByTestId('node-end'));
    await page.getByRole('heading', { name: 'Send a message', level: 2 }).waitFor();
    await chooseConfiguration(e2e.workplaceConfigurationId);
    // recipientIds has minItems 1: the form shows its first entry already.
    await field('in.recipientIds.0').fill(salesLead.id);
    await field('in.text').click();
    await insertData(/^Trigger/, '{{trigger.output.fields.full_name}}');
    await page.keyboard.type(' was posted as ');
    await insertData(/^post_to_group/, '{{steps.post_to_group.output.id}}');
    expect(await testStep('Test step')).toContain('The step worked');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/flows\/(?!new)[^/?]+$/);
    const flowId = new URL(page.url()).pathname.split('/')[2]!;
    const saved = (await e2e.api(`/v1/flows/${flowId}`)).body;
    expect(saved.spec).toEqual({
      name: 'Leads to Workplace',
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: e2e.pageConfigurations[lead.id],
        input: { pageId: lead.id, formId: lead.forms[0].id },
      },
      steps: [
        {
          id: 'post_to_group',
          card: 'workplace/post-to-group@1',
          configurationId: e2e.workplaceConfigurationId,
          input: {
            groupId: group.id,
            message: 'New lead: {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
          },
        },
        {
          id: 'send_message',
          card: 'workplace/send-message@1',
          configurationId: e2e.workplaceConfigurationId,
          input: {
            recipientIds: [salesLead.id],
            text: '{{trigger.output.fields.full_name}} was posted as {{steps.post_to_group.output.id}}',
          },
        },
      ],
    });
    await page.getByText('Saved · version').waitFor();
    await page.getByRole('switch').click();
    await page.getByText('Enabled: the flow listens for its trigger.').waitFor();
    await screenshot(page, 'editor');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A lead on the Page: the run appears on the runs page by itself and succeeds.
    await page.locator('.editor-bar').getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs of Leads to Workplace' }).waitFor();
    const created = await e2e.emulator.createLead(lead.forms[0].id, {
      full_name: 'Bram Browser',
      email: 'bram@mail.example',
    });
    await e2e.emulator.flushWebhooks();
    const runLink = page.locator('tr[data-run-id] a').first();
    await runLink.waitFor();
    await runLink.click();
    await page.getByTestId('run-status').filter({ hasText: 'Succeeded' }).waitFor();
    await page.getByTestId('node-post_to_group').click();
    await page.getByRole('heading', { name: 'Step post_to_group' }).waitFor();
    const output = page.getByLabel('Output');
    await expectText(output, `"id": "${group.id}_`);
    await expectText(page.getByLabel('Input'), 'New lead: Bram Browser <bram@mail.example>');
    await screenshot(page, 'run-view');
    expect(await seriousAxeViolations(page)).toEqual([]);
    const runs = await e2e.runsOf(flowId);
    expect(runs.map((run: Json) => [run.dedupeKey, run.status])).toEqual([[created.id, 'succeeded']]);
  });

  it('shows an invalid template on its field and does not save the flow', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(fixturePage().id, 'bad'));
    const before = (await e2e.api(`/v1/flows/${flowId}`)).body;
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-post').click();
    await field('in.message').fill('Lead {{trigger.output.fields.email');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const message = field('in.message');
    await page.locator('.side-panel .text-danger, .side-panel .error-detail').first().waitFor();
    expect(await message.getAttribute('aria-invalid')).toBe('true');
    await expectText(page.getByTestId('node-post'), '1 problem');
    const after = (await e2e.api(`/v1/flows/${flowId}`)).body;
    expect(after.version).toBe(before.version);
    expect(after.spec.steps[0].input.message).toBe(before.spec.steps[0].input.message);
  });

  it('undoes and redoes, reorders steps by dragging, and deletes a step with the keyboard', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(fixturePage().id, 'edit'));
    const version = (await e2e.api(`/v1/flows/${flowId}`)).body.version;
    await page.goto(`/flows/${flowId}`);
    const order = async (): Promise<string[]> =>
      page.locator('.react-flow__node [data-testid^="node-"]').evaluateAll((nodes) =>
        nodes
          .map((node) => ({
            id: node.getAttribute('data-testid')!,
            y: node.getBoundingClientRect().top,
          }))
          .sort((a, b) => a.y - b.y)
          .map((node) => node.id),
      );
    await page.getByTestId('node-notify').waitFor();
    expect(await order()).toEqual(['node-trigger', 'node-post', 'node-notify', 'node-end']);

    // Drag the second step above the first.
    const notify = page.getByTestId('node-notify');
    const post = await page.getByTestId('node-post').boundingBox();
    const box = (await notify.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, post!.y + 5, { steps: 10 });
    await page.mouse.up();
    await waitFor(
      'the steps to swap',
      async () => (await order()).join() === 'node-trigger,node-notify,node-post,node-end',
    );

    await page.getByRole('button', { name: 'Undo' }).click();
    await waitFor(
      'undo to restore the order',
      async () => (await order()).join() === 'node-trigger,node-post,node-notify,node-end',
    );
    await page.getByRole('button', { name: 'Redo' }).click();
    await waitFor(
      'redo to swap again',
      async () => (await order()).join() === 'node-trigger,node-notify,node-post,node-end',
    );

    // Select a step and delete it with the Delete key; Ctrl+Z brings it back.
    await page.getByTestId('node-post').click();
    await page.getByRole('heading', { name: 'Post to a group', level: 2 }).waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.getByTestId('node-post').click();
    await page.getByTestId('node-post').press('Delete');
    await page.getByTestId('node-post').waitFor({ state: 'detached' });
    expect(await order()).toEqual(['node-trigger', 'node-notify', 'node-end']);
    await page.keyboard.press('Control+z');
    await page.getByTestId('node-post').waitFor();

    // "+" on an edge opens the palette at that position; Enter on a card inserts it there.
    await page.getByRole('button', { name: 'Add a step at position 1' }).click();
    await page.getByText('Adding at position 1.').waitFor();
    await page.getByLabel('Search cards').fill('find member');
    await paletteCard('workplace/find-member-by-email@1').click();
    await waitFor('the new step to be first', async () => (await order())[1] === 'node-find_member_by_email');
    // Nothing of this was saved.
    expect((await e2e.api(`/v1/flows/${flowId}`)).body.version).toBe(version);
  });

  it('does not offer a member a configuration that is not shared with them', async () => {
    const lead = fixturePage();
    const member = await createAdmin(
      {
        users: getBound(e2e.runtime.handle.container, Ports.users),
        workspaces: getBound(e2e.runtime.handle.container, Ports.workspaces),
      },
      { email: 'member@bakery.example', workspace: 'Bakery', role: 'member' },
    );
    const ownersPage = await nickname(e2e.pageConfigurations[lead.id]);
    const memberContext = await browser.newContext({
      baseURL: e2e.runtime.url,
      viewport: { width: 1440, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${member.apiKey}` },
    });
    memberContext.setDefaultTimeout(READY_MS);
    const memberPage = await memberContext.newPage();
    memberPage.on('pageerror', (error) => errors.push(error.message));
    await memberPage.goto('/flows/new?name=Mine');
    await memberPage.locator('.palette [data-card-ref="facebook-leads/new-lead@1"]').click();
    await memberPage.getByRole('heading', { name: 'New lead', level: 2 }).waitFor();
    const picker = memberPage.locator('#configuration-picker');
    await picker.locator('option', { hasText: 'None you may use yet' }).waitFor({ state: 'attached' });
    expect(await picker.locator('option').allInnerTexts()).toEqual(['None you may use yet']);
    expect(await memberPage.content()).not.toContain(ownersPage);
    // Workplace is shared with the workspace: the member may pick it.
    await memberPage.locator('.palette [data-card-ref="workplace/post-to-group@1"]').click();
    await memberPage.getByRole('heading', { name: 'Post to a group', level: 2 }).waitFor();
    await memberPage
      .locator('#configuration-picker option', { hasText: await nickname(e2e.workplaceConfigurationId) })
      .waitFor({ state: 'attached' });
    await memberContext.close();
  });

  it('draws paths side by side and a for-each as a framed group, and opens a card inside a branch', async () => {
    const post = (id: string, message: string): Json => ({
      id,
      card: 'workplace/post-to-group@1',
      configurationId: e2e.workplaceConfigurationId,
      input: { groupId: e2e.fixtures.workplace.groups[0].id, message },
    });
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: {
        spec: {
          name: 'Paths and loops',
          trigger: { card: 'core/manual@1', input: {} },
          steps: [
            {
              id: 'route',
              type: 'paths',
              branches: [
                {
                  name: 'big',
                  condition: 'trigger.output.amount > 10',
                  steps: [post('post_big', 'Big order')],
                },
                {
                  name: 'small',
                  condition: 'trigger.output.amount <= 10',
                  steps: [post('post_small', 'Small')],
                },
              ],
              otherwise: [post('post_other', 'No amount')],
            },
            {
              id: 'each',
              type: 'forEach',
              items: '{{trigger.output.lines}}',
              steps: [post('post_line', 'A line')],
            },
            post('done', 'Done'),
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    await page.goto(`/flows/${created.body.id}`);
    const box = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!;
    await page.getByTestId('node-done').waitFor();
    const [route, big, small, other, each, line, done] = await Promise.all(
      ['route', 'post_big', 'post_small', 'post_other', 'each', 'post_line', 'done'].map(box),
    );
    // Branches: one row below the paths card, side by side, left to right in order.
    expect(big!.y).toBeGreaterThan(route!.y);
    expect(Math.abs(big!.y - small!.y)).toBeLessThan(2);
    expect(Math.abs(small!.y - other!.y)).toBeLessThan(2);
    expect(big!.x).toBeLessThan(small!.x);
    expect(small!.x).toBeLessThan(other!.x);
    // The loop below the branches, its step inside the frame, the last step below it all.
    expect(each!.y).toBeGreaterThan(big!.y);
    const frame = (await page.locator('.flow-frame').boundingBox())!;
    expect(line!.y).toBeGreaterThan(frame.y);
    expect(line!.y + line!.height).toBeLessThanOrEqual(frame.y + frame.height + 1);
    expect(done!.y).toBeGreaterThan(frame.y + frame.height - 1);
    await page.getByText('otherwise', { exact: true }).waitFor();
    await page.getByTestId('node-post_small').click();
    await page.getByRole('heading', { name: 'Post to a group', level: 2 }).waitFor();
    await screenshot(page, 'editor-paths-and-loop');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('refuses a save over a newer version, says so and reloads the other version on request', async () => {
    const spec = e2e.demoFlow(fixturePage().id, 'race');
    const created = await e2e.api('/v1/flows', { method: 'POST', body: { spec } });
    const flowId = created.body.id as string;
    await page.goto(`/flows/${flowId}`);
    await page.getByTestId('node-post').waitFor();
    const elsewhere = await e2e.api(`/v1/flows/${flowId}`, {
      method: 'PUT',
      body: { spec: { ...spec, name: 'Changed elsewhere' }, expectedVersion: created.body.version },
    });
    expect(elsewhere.status).toBe(200);
    await page.getByLabel('Flow name').fill('My name');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else saved this flow' }).waitFor();
    expect((await e2e.api(`/v1/flows/${flowId}`)).body.name).toBe('Changed elsewhere');
    await page.getByRole('button', { name: 'Reload their version' }).click();
    await waitFor(
      'the other version in the editor',
      async () => (await page.getByLabel('Flow name').inputValue()) === 'Changed elsewhere',
    );
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator
    .filter({ hasText: text })
    .first()
    .waitFor()
    .catch(async () => {
      throw new Error(
        `expected "${text}" in: ${await locator
          .first()
          .innerText()
          .catch(() => '(gone)')}`,
      );
    });
}
