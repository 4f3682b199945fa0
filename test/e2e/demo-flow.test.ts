import type { CreatedLead } from './support/emulator-http-control';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

describe('the demo flow, end to end over the API, Redis, MongoDB and the Meta emulator', () => {
  let e2e: E2e;
  let page: Json;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
    page = e2e.fixtures.pages[0];
  });
  afterAll(async () => {
    await e2e?.stop();
  });
  afterEach(async () => {
    await e2e.emulator.setWebhookDelivery({ dropPercent: 0, duplicate: 0 });
  });

  const messagesAbout = async (tag: string, leadId: string): Promise<Json[]> =>
    (await e2e.emulator.workplaceMessages()).filter((m) => m.text.startsWith(`[${tag}] ${leadId}:`));

  it('posts a new lead delivered by webhook to the Workplace group and messages the sales lead', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(page.id, 'a'));
    const lead = await e2e.emulator.createLead(page.forms[0].id, {
      full_name: 'Wendy Webhook',
      email: 'wendy@mail.example',
    });
    await e2e.emulator.flushWebhooks();

    const run = await waitFor('the run to succeed', async () =>
      (await e2e.runsOf(flowId)).find((r: Json) => r.dedupeKey === lead.id && r.status === 'succeeded'),
    );
    const details = await e2e.api(`/v1/runs/${run.id}`);
    expect(details.body.steps.map((s: Json) => [s.stepId, s.status])).toEqual([
      ['post', 'succeeded'],
      ['notify', 'succeeded'],
    ]);
    const postId = details.body.steps[0].output.id;
    const feed = await e2e.emulator.groupFeed(
      e2e.fixtures.workplace.groups[0].id,
      e2e.fixtures.workplace.adminToken,
    );
    expect(feed.find((post) => post.id === postId)?.message).toBe(
      '[a] New lead: Wendy Webhook <wendy@mail.example>',
    );
    const messages = await messagesAbout('a', lead.id);
    expect(messages).toHaveLength(1);
    expect(messages[0].text).toContain('Wendy Webhook (wendy@mail.example)');
  });

  it('starts exactly one run for a lead delivered five times by webhook and found again by the poller', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(page.id, 'b'));
    await e2e.emulator.setWebhookDelivery({ duplicate: 4 });
    const lead = await e2e.emulator.createLead(page.forms[0].id, {
      full_name: 'Dora Duplicate',
      email: 'dora@mail.example',
    });
    await e2e.emulator.flushWebhooks();
    await waitFor('the run to succeed', async () =>
      (await e2e.runsOf(flowId)).some((r: Json) => r.dedupeKey === lead.id && r.status === 'succeeded'),
    );
    await e2e.engine.poller.poll(flowId);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const delivered = (await e2e.emulator.webhookDeliveries()).filter(
      (d) => d.leadId === lead.id && d.outcome === 'delivered',
    );
    expect(delivered.length).toBe(5);
    expect((await e2e.runsOf(flowId)).filter((r: Json) => r.dedupeKey === lead.id)).toHaveLength(1);
    expect(await messagesAbout('b', lead.id)).toHaveLength(1);
  });

  it('delivers every lead exactly once when 30% of webhooks are dropped, through the poller', async () => {
    const flowId = await e2e.enabledFlow(e2e.demoFlow(page.id, 'c'));
    await e2e.emulator.setWebhookDelivery({ dropPercent: 30, seed: 11 });
    const leads: CreatedLead[] = [];
    for (let i = 0; i < 20; i += 1) {
      leads.push(
        await e2e.emulator.createLead(page.forms[i % 2 === 0 ? 0 : 1].id, {
          full_name: `Lead ${i}`,
          email: `lead${i}@mail.example`,
        }),
      );
    }
    await e2e.emulator.flushWebhooks();
    const dropped = (await e2e.emulator.webhookDeliveries()).filter(
      (d) => leads.some((l) => l.id === d.leadId) && d.outcome === 'dropped',
    );
    expect(dropped.length).toBeGreaterThan(0);

    await e2e.engine.poller.poll(flowId);
    const runs = await waitFor('a succeeded run for every lead', async () => {
      const all = await e2e.runsOf(flowId);
      return (
        leads.every((lead) => all.some((r: Json) => r.dedupeKey === lead.id && r.status === 'succeeded')) &&
        all
      );
    });
    for (const lead of leads) {
      expect(runs.filter((r: Json) => r.dedupeKey === lead.id)).toHaveLength(1);
      expect(await messagesAbout('c', lead.id)).toHaveLength(1);
    }
  });
});
