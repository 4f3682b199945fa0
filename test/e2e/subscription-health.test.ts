import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

/**
 * Subscription health: Meta sends leadgen webhooks only while the app is subscribed on the Page
 * (`/{page-id}/subscribed_apps`). A subscription removed at Meta is detected by the next check,
 * subscribed again and the gap backfilled; when subscribing again fails, the owner is told.
 */
describe('webhook subscription health', () => {
  let e2e: E2e;
  let page: Json;
  let configurationId: string;
  let flowId: string;

  const check = async (): Promise<Json> => {
    const answer = await e2e.api('/v1/lifecycle/sweep', { method: 'POST' });
    expect(answer.status).toBe(200);
    return answer.body.subscriptions;
  };
  const subscription = async (): Promise<Json> =>
    (await e2e.api(`/v1/configurations/${configurationId}`)).body.subscription;
  const subscribedFields = async (): Promise<string[]> =>
    (await e2e.emulator.call('GET', `/pages/subscription?pageId=${page.id}`)).fields;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
    page = e2e.fixtures.pages[0];
    configurationId = e2e.pageConfigurations[page.id];
    flowId = await e2e.enabledFlow(e2e.demoFlow(page.id, 'subs'));
    // The first poll only sets the trigger's cursor (turning a flow on replays nothing).
    await e2e.engine.poller.poll(flowId);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('finds the Page subscribed and says so on the configuration', async () => {
    expect(await subscribedFields()).toEqual(['leadgen']);
    expect(await check()).toEqual({ checked: 1, resubscribed: 0, failing: 0 });
    expect(await subscription()).toMatchObject({ status: 'subscribed', field: 'leadgen', detail: null });
  });

  it('detects a subscription removed at Meta, subscribes again and backfills the lead of the gap', async () => {
    await e2e.emulator.call('POST', '/pages/remove-subscription', { pageId: page.id });
    const lead = await e2e.emulator.createLead(page.forms[0].id, { email: 'gap@mail.example' });
    await e2e.emulator.flushWebhooks();
    expect(await e2e.runsOf(flowId)).toEqual([]); // no webhook came: unsubscribed

    expect(await check()).toEqual({ checked: 1, resubscribed: 1, failing: 0 });
    expect(await subscribedFields()).toEqual(['leadgen']);
    expect(await subscription()).toMatchObject({ status: 'resubscribed', field: 'leadgen' });
    const runs = await waitFor('the gap lead to run', async () => {
      const all = await e2e.runsOf(flowId);
      return all.length === 1 && all[0].status === 'succeeded' && all;
    });
    expect(runs[0].dedupeKey).toBe(lead.id);
    const audit = (await e2e.api(`/v1/configurations/${configurationId}/audit`)).body.events;
    expect(audit.map((event: Json) => event.action)).toContain('configuration.resubscribed');

    // And webhooks flow again.
    const next = await e2e.emulator.createLead(page.forms[0].id, { email: 'after@mail.example' });
    await e2e.emulator.flushWebhooks();
    await waitFor('the next lead to run through the webhook', async () =>
      (await e2e.runsOf(flowId)).some((run: Json) => run.dedupeKey === next.id && run.status === 'succeeded'),
    );
    expect(await check()).toEqual({ checked: 1, resubscribed: 0, failing: 0 });
  });

  it('tells the owner once when subscribing again fails', async () => {
    await e2e.emulator.call('POST', '/pages/remove-subscription', { pageId: page.id });
    await e2e.emulator.call('POST', '/permissions/remove', {
      userId: e2e.fixtures.user.id,
      permission: 'pages_manage_metadata',
    });
    expect(await check()).toEqual({ checked: 1, resubscribed: 0, failing: 1 });
    expect(await check()).toEqual({ checked: 1, resubscribed: 0, failing: 1 });
    const health = await subscription();
    expect(health).toMatchObject({ status: 'failing', field: 'leadgen' });
    expect(health.detail).toMatch(/^Graph error \d+$/);
    const told = (await e2e.api('/v1/notifications')).body.notifications.filter(
      (n: Json) => n.kind === 'configuration.subscription_failing',
    );
    expect(told).toHaveLength(1);
    expect(told[0].title).toBe('Flowcard Bakery: Meta stopped sending leadgen webhooks');
    expect(told[0].body).toBe(
      `Meta no longer sends "leadgen" webhooks for the Page of "Flowcard Bakery" (facebook-leads), and subscribing again failed: ${health.detail}. New items arrive only through the 15-minute poll until it is reconnected.`,
    );
  });
});
