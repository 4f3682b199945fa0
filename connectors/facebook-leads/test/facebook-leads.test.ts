import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startMetaConnectorHarness,
  type MetaConnectorHarness,
} from '../../../test/connectors/meta-connector-harness';
import { failureOf } from '../../../test/connectors/failure-of';

const CAKE_ORDER = '300000000000301';
const CATERING = '300000000000303';
const AD_LEAD = '400000000000404';
const ORGANIC_LEAD = '400000000000403';
const HOUR = 60 * 60_000;

type FlatLead = {
  id: string;
  created_time: string;
  form_id: string;
  ad_id?: string;
  adset_id?: string;
  campaign_id?: string;
  fields: Record<string, string>;
  field_data: { name: string; values: string[] }[];
};

let h: MetaConnectorHarness;
let pageId: string;
let pageToken: string;
let callback: Server;
let callbackUrl: string;

beforeAll(async () => {
  h = await startMetaConnectorHarness('facebook-leads');
  // A webhook receiver for the app subscription: answers Meta's handshake, accepts deliveries.
  callback = createServer((req, res) => {
    const challenge = new URL(req.url ?? '/', 'http://x').searchParams.get('hub.challenge');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge ?? 'ok');
  });
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/meta`;
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => callback.close(resolve));
});
beforeEach(() => {
  h.emulator.reset();
  pageId = h.emulator.fixtures.pages[0].id;
  pageToken = h.emulator.fixtures.pages[0].accessToken;
});

const subscribedApps = async (): Promise<{ id: string; subscribed_fields: string[] }[]> =>
  (
    await h.graphGet<{ data: { id: string; subscribed_fields: string[] }[] }>(
      `/${pageId}/subscribed_apps`,
      pageToken,
    )
  ).data;

/** Subscribes the app to page/leadgen webhooks (what the runtime does once per app). */
async function subscribeAppWebhook(): Promise<void> {
  const url = new URL(`${h.emulator.graphUrl}/v25.0/${h.emulator.app.id}/subscriptions`);
  const params = {
    object: 'page',
    callback_url: callbackUrl,
    fields: 'leadgen',
    verify_token: 'verify-me',
    access_token: h.emulator.fixtures.app.accessToken,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`app subscription failed: ${await response.text()}`);
}

describe('facebook-leads connector against the Meta emulator', () => {
  it('lists the forms of the Page for the form dropdown', async () => {
    const { output } = await h.run('list-forms');
    const forms = output as { id: string; name: string }[];
    expect(forms.map((f) => f.id).sort()).toEqual([CAKE_ORDER, CATERING]);
    expect(h.card('list-forms').spec.options).toEqual({ label: '{{item.name}}', value: '{{item.id}}' });
  });

  it('gets a form with its questions', async () => {
    const { output } = await h.run('get-form', { formId: CAKE_ORDER });
    const form = output as { name: string; questions: { key: string }[] };
    expect(form.name).toBe('Cake order');
    expect(form.questions.map((q) => q.key)).toEqual(['email', 'full_name', 'phone_number', 'cake_flavour']);
  });

  it('gets an ad lead with ad ids and its answers flattened and raw', async () => {
    const { output } = await h.run('get-lead', { leadId: AD_LEAD });
    const lead = output as FlatLead;
    expect(lead).toMatchObject({
      id: AD_LEAD,
      form_id: CAKE_ORDER,
      ad_id: '600000000000601',
      adset_id: '600000000000611',
      campaign_id: '600000000000621',
    });
    expect(lead.fields).toEqual({
      email: 'abby.adclick@mail.example',
      full_name: 'Abby Adclick',
      phone_number: '+33612340404',
      cake_flavour: 'carrot',
    });
    expect(lead.field_data).toContainEqual({ name: 'cake_flavour', values: ['carrot'] });
  });

  it('gets an organic lead without ad ids', async () => {
    const { output } = await h.run('get-lead', { leadId: ORGANIC_LEAD });
    expect(output).not.toHaveProperty('ad_id');
    expect(output).not.toHaveProperty('campaign_id');
    expect((output as FlatLead).fields.email).toBe('oscar.organic@mail.example');
  });

  it('lists the leads of a form created after a time, oldest first', async () => {
    const since = new Date(h.emulator.control.now().getTime() - 36 * HOUR).toISOString();
    const { output } = await h.run('list-leads', { formId: CAKE_ORDER, since });
    expect((output as FlatLead[]).map((l) => l.id)).toEqual([ORGANIC_LEAD, AD_LEAD]);
    const call = h.emulator.control.calls({ path: `${CAKE_ORDER}/leads` }).at(-1);
    expect(call?.status).toBe(200);
  });

  it('lists every lead of a form across Graph pages when no time is given', async () => {
    for (let i = 0; i < 120; i++)
      h.emulator.control.createLead({ formId: CAKE_ORDER, fieldData: { email: `bulk${i}@mail.example` } });
    const { output, calls } = await h.run('list-leads', { formId: CAKE_ORDER });
    const leads = output as FlatLead[];
    expect(leads).toHaveLength(124);
    expect(calls).toBe(2);
    expect(leads[0].id).toBe('400000000000401');
    expect(leads.at(-1)?.fields.email).toBe('bulk119@mail.example');
  });

  it("lists the user's Pages for the page dropdown", async () => {
    const { output } = await h.run('list-pages');
    expect((output as { name: string }[]).map((p) => p.name)).toEqual(['Flowcard Bakery', 'Flowcard Bikes']);
  });

  describe('new-lead trigger', () => {
    it('installs the app on the Page for leadgen when a flow is enabled, and removes it when disabled', async () => {
      await h.triggerRequest('new-lead', 'subscribe', { pageId });
      expect(await subscribedApps()).toEqual([
        expect.objectContaining({ id: h.emulator.app.id, subscribed_fields: ['leadgen'] }),
      ]);
      await h.triggerRequest('new-lead', 'unsubscribe', { pageId });
      expect(await subscribedApps()).toEqual([]);
    });

    it("fetches the lead of a real leadgen delivery into the trigger's output", async () => {
      await subscribeAppWebhook();
      await h.triggerRequest('new-lead', 'subscribe', { pageId });
      const created = h.emulator.control.createLead({
        formId: CAKE_ORDER,
        adId: '600000000000601',
        fieldData: { email: 'new@mail.example', full_name: 'New Lead' },
      });
      await h.emulator.control.flushWebhooks();
      const delivery = h.emulator.control.webhookDeliveries().find((d) => d.leadId === created.id);
      expect(delivery?.outcome).toBe('delivered');
      const event = (
        JSON.parse(delivery?.body ?? '{}') as { entry: { changes: { value: Record<string, unknown> }[] }[] }
      ).entry[0].changes[0].value;

      const card = h.card('new-lead').spec.trigger;
      expect(card?.webhook?.routeKey).toBe('{{event.page_id}}');
      expect(event.page_id).toBe(pageId);
      const { output } = await h.triggerRequest('new-lead', 'fetch', { pageId }, event);
      expect(output).toEqual({
        id: created.id,
        created_time: created.createdTime,
        form_id: CAKE_ORDER,
        ad_id: '600000000000601',
        adset_id: '6000000000006011',
        campaign_id: '6000000000006012',
        platform: 'fb',
        fields: { email: 'new@mail.example', full_name: 'New Lead' },
        field_data: [
          { name: 'email', values: ['new@mail.example'] },
          { name: 'full_name', values: ['New Lead'] },
        ],
      });
    });

    it('reconciles by polling: the first poll sets the cursor, the next finds leads of every form since then', async () => {
      const first = await h.poll('new-lead', { pageId });
      expect(first.items).toEqual([]);
      expect(first.cursor.since).toBe(Math.floor(h.emulator.control.now().getTime() / 1000));

      h.emulator.control.advanceClock(5 * 60_000);
      const cake = h.emulator.control.createLead({
        formId: CAKE_ORDER,
        fieldData: { email: 'cake@mail.example' },
      });
      h.emulator.control.advanceClock(60_000);
      const catering = h.emulator.control.createLead({
        formId: CATERING,
        fieldData: { email: 'party@mail.example' },
      });

      const second = await h.poll('new-lead', { pageId }, first.cursor);
      expect(second.items.map((i) => i.key)).toEqual([cake.id, catering.id]);
      expect(second.items[1].output).toMatchObject({
        id: catering.id,
        form_id: CATERING,
        fields: { email: 'party@mail.example' },
      });
      expect(second.items[1].output).not.toHaveProperty('ad_id');
      expect(second.cursor.since).toBe(Math.floor(h.emulator.control.now().getTime() / 1000));
    });

    it('polls only the chosen form when a form is set', async () => {
      const first = await h.poll('new-lead', { pageId, formId: CATERING });
      h.emulator.control.advanceClock(60_000);
      h.emulator.control.createLead({ formId: CAKE_ORDER });
      const catering = h.emulator.control.createLead({ formId: CATERING });
      const second = await h.poll('new-lead', { pageId, formId: CATERING }, first.cursor);
      expect(second.items.map((i) => i.key)).toEqual([catering.id]);
      expect(h.emulator.control.calls({ path: 'leadgen_forms' })).toHaveLength(0);
    });

    it('declares the lead id as dedupe key, so a lead seen by webhook and by polling runs once', () => {
      expect(h.card('new-lead').spec.trigger?.dedupeKey).toBe('{{item.id}}');
    });
  });

  describe('error paths', () => {
    it('signals auth when the page token has expired', async () => {
      h.emulator.control.expireToken(pageToken);
      const error = await failureOf(h.run('get-lead', { leadId: AD_LEAD }));
      expect(error).toMatchObject({ signal: 'auth', code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN' });
    });

    it('signals rate_limited with the announced wait when the leadgen limit is hit', async () => {
      h.emulator.control.rateLimit({ code: 80005, pageId, minutes: 45 });
      const error = await failureOf(h.run('list-leads', { formId: CAKE_ORDER }));
      expect(error.signal).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(45 * 60_000);
    });

    it('signals permission, naming it, when leads_retrieval was removed', async () => {
      h.emulator.control.removePermission(h.emulator.fixtures.user.id, 'leads_retrieval');
      const error = await failureOf(h.poll('new-lead', { pageId, formId: CAKE_ORDER }, { since: 1 }));
      expect(error).toMatchObject({ signal: 'permission', permission: 'leads_retrieval' });
    });
  });
});
