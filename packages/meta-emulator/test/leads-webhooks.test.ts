import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMetaEmulator, type FixturePage, type MetaEmulator } from '../src';
import { graph, graphError, type GraphResponse } from './graph-client';

type Leads = {
  data: {
    id: string;
    created_time: string;
    field_data: { name: string; values: string[] }[];
    ad_id?: string;
  }[];
  paging?: { next?: string };
};

interface Received {
  body: string;
  signature: string | undefined;
}

/** A stand-in for the runtime's webhook endpoint: answers the handshake when the verify token matches, records POSTs. */
class WebhookReceiver {
  readonly received: Received[] = [];
  echoChallenge = true;
  private server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const ok =
        this.echoChallenge &&
        url.searchParams.get('hub.mode') === 'subscribe' &&
        url.searchParams.get('hub.verify_token') === 'verify-me';
      res
        .writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' })
        .end(ok ? url.searchParams.get('hub.challenge') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['x-hub-signature-256'] as string | undefined,
      });
      res.writeHead(200).end('EVENT_RECEIVED');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/meta`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Independent of the emulator's code: what the runtime will compute. */
function signatureIsValid(body: string, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(body, 'utf8').digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let emulator: MetaEmulator;
let receiver: WebhookReceiver;
let callbackUrl: string;
let bakery: FixturePage;

beforeAll(async () => {
  emulator = await startMetaEmulator();
  receiver = new WebhookReceiver();
  callbackUrl = await receiver.start();
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  emulator.reset();
  receiver.received.length = 0;
  receiver.echoChallenge = true;
  bakery = emulator.fixtures.pages[0];
});

async function subscribeApp(): Promise<GraphResponse> {
  return graph(emulator, 'POST', `/v25.0/${emulator.app.id}/subscriptions`, {
    token: emulator.fixtures.app.accessToken,
    form: true,
    body: { object: 'page', callback_url: callbackUrl, fields: 'leadgen', verify_token: 'verify-me' },
  });
}

async function installOnPage(page = bakery): Promise<void> {
  const response = await graph(emulator, 'POST', `/v25.0/${page.id}/subscribed_apps`, {
    token: page.accessToken,
    query: { subscribed_fields: 'leadgen' },
  });
  expect(response.body).toEqual({ success: true });
}

describe('lead forms and leads', () => {
  it('lists a page’s lead forms with their questions', async () => {
    const forms = await graph<{
      data: {
        id: string;
        name: string;
        status: string;
        locale: string;
        questions: { key: string; label: string; type: string; id: string }[];
      }[];
    }>(emulator, 'GET', `/v25.0/${bakery.id}/leadgen_forms`, { token: bakery.accessToken });
    expect(forms.body.data.map((f) => f.id).sort()).toEqual(bakery.forms.map((f) => f.id).sort());
    const cake = forms.body.data.find((f) => f.id === bakery.forms[0].id);
    expect(cake).toMatchObject({ name: 'Cake order', status: 'ACTIVE', locale: 'en_US' });
    expect(cake?.questions.map((q) => q.key)).toEqual(['email', 'full_name', 'phone_number', 'cake_flavour']);
  });

  it('reads one form with GET /{form-id}', async () => {
    const form = await graph(emulator, 'GET', `/v25.0/${bakery.forms[0].id}`, {
      token: bakery.accessToken,
      query: { fields: 'name,leads_count' },
    });
    expect(form.body).toEqual({ id: bakery.forms[0].id, name: 'Cake order', leads_count: 4 });
  });

  it('lists leads newest first and pages through them', async () => {
    const first = await graph<Leads>(emulator, 'GET', `/v25.0/${bakery.forms[0].id}/leads`, {
      token: bakery.accessToken,
      query: { limit: 3 },
    });
    expect(first.body.data).toHaveLength(3);
    const times = first.body.data.map((l) => l.created_time);
    expect([...times].sort().reverse()).toEqual(times);
    const rest = await graph<Leads>(emulator, 'GET', first.body.paging?.next ?? '');
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.paging?.next).toBeUndefined();
  });

  it('filters leads on time_created GREATER_THAN a unix time', async () => {
    const since = Math.floor(emulator.control.now().getTime() / 1000) - 36 * 60 * 60;
    const filtering = JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: since }]);
    const recent = await graph<Leads>(emulator, 'GET', `/v25.0/${bakery.forms[0].id}/leads`, {
      token: bakery.accessToken,
      query: { filtering },
    });
    const expected = emulator.fixtures.leads
      .filter((l) => l.formId === bakery.forms[0].id)
      .map((l) => l.id)
      .slice(-2)
      .reverse();
    expect(recent.body.data.map((l) => l.id)).toEqual(expected);
  });

  it('refuses a filter on an unsupported field or operator with code 100', async () => {
    const filtering = JSON.stringify([{ field: 'time_created', operator: 'CONTAINS', value: 1 }]);
    expect(
      graphError(
        await graph(emulator, 'GET', `/v25.0/${bakery.forms[0].id}/leads`, {
          token: bakery.accessToken,
          query: { filtering },
        }),
      ).code,
    ).toBe(100);
  });

  it('returns ad ids for ad leads and none for organic ones', async () => {
    const fields = 'id,created_time,field_data,ad_id,adset_id,campaign_id,form_id,platform,is_organic';
    const adLead = emulator.fixtures.leads.find((l) => !l.organic && l.pageId === bakery.id);
    const organicLead = emulator.fixtures.leads.find((l) => l.organic && l.pageId === bakery.id);
    const ad = await graph(emulator, 'GET', `/v25.0/${adLead?.id}`, {
      token: bakery.accessToken,
      query: { fields },
    });
    expect(ad.body).toMatchObject({
      id: adLead?.id,
      ad_id: adLead?.adId,
      adset_id: expect.any(String),
      campaign_id: expect.any(String),
      form_id: adLead?.formId,
      is_organic: false,
    });
    expect(ad.body.field_data).toContainEqual({ name: 'email', values: [adLead?.email] });
    const organic = await graph(emulator, 'GET', `/v25.0/${organicLead?.id}`, {
      token: bakery.accessToken,
      query: { fields },
    });
    expect(organic.body).not.toHaveProperty('ad_id');
    expect(organic.body).toMatchObject({ is_organic: true });
  });

  it('needs leads_retrieval (code 200 without it)', async () => {
    emulator.control.removePermission(emulator.fixtures.user.id, 'leads_retrieval');
    expect(
      graphError(
        await graph(emulator, 'GET', `/v25.0/${bakery.forms[0].id}/leads`, { token: bakery.accessToken }),
      ).code,
    ).toBe(200);
  });
});

describe('webhook subscriptions', () => {
  it('performs the hub.challenge handshake and lists the subscription', async () => {
    expect((await subscribeApp()).body).toEqual({ success: true });
    const list = await graph<{ data: unknown[] }>(
      emulator,
      'GET',
      `/v25.0/${emulator.app.id}/subscriptions`,
      { token: emulator.fixtures.app.accessToken },
    );
    expect(list.body.data).toEqual([
      {
        object: 'page',
        callback_url: callbackUrl,
        active: true,
        fields: [{ name: 'leadgen', version: 'v25.0' }],
      },
    ]);
  });

  it('refuses the subscription when the callback does not echo the challenge (2200)', async () => {
    receiver.echoChallenge = false;
    const response = await subscribeApp();
    expect(graphError(response).code).toBe(2200);
    const list = await graph<{ data: unknown[] }>(
      emulator,
      'GET',
      `/v25.0/${emulator.app.id}/subscriptions`,
      { token: emulator.fixtures.app.accessToken },
    );
    expect(list.body.data).toEqual([]);
  });

  it('needs the app token for app subscriptions (code 15)', async () => {
    const response = await graph(emulator, 'GET', `/v25.0/${emulator.app.id}/subscriptions`, {
      token: emulator.fixtures.user.accessToken,
    });
    expect(graphError(response).code).toBe(15);
  });

  it('installs, lists and removes the app on a page with subscribed_apps', async () => {
    await installOnPage();
    const list = await graph<{ data: { id: string; subscribed_fields: string[] }[] }>(
      emulator,
      'GET',
      `/v25.0/${bakery.id}/subscribed_apps`,
      { token: bakery.accessToken },
    );
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: emulator.app.id, subscribed_fields: ['leadgen'] }),
    ]);
    expect(
      (await graph(emulator, 'DELETE', `/v25.0/${bakery.id}/subscribed_apps`, { token: bakery.accessToken }))
        .body,
    ).toEqual({ success: true });
    expect(
      (
        await graph<{ data: unknown[] }>(emulator, 'GET', `/v25.0/${bakery.id}/subscribed_apps`, {
          token: bakery.accessToken,
        })
      ).body.data,
    ).toEqual([]);
  });

  it('removes app subscriptions with DELETE', async () => {
    await subscribeApp();
    await graph(emulator, 'DELETE', `/v25.0/${emulator.app.id}/subscriptions`, {
      token: emulator.fixtures.app.accessToken,
      query: { object: 'page' },
    });
    expect(
      (
        await graph<{ data: unknown[] }>(emulator, 'GET', `/v25.0/${emulator.app.id}/subscriptions`, {
          token: emulator.fixtures.app.accessToken,
        })
      ).body.data,
    ).toEqual([]);
  });
});

describe('leadgen webhook delivery', () => {
  it('POSTs the leadgen payload signed with X-Hub-Signature-256 over the raw body', async () => {
    await subscribeApp();
    await installOnPage();
    const lead = emulator.control.createLead({
      formId: bakery.forms[0].id,
      fieldData: { email: 'new@mail.example', full_name: 'New Lead' },
      adId: '600000000000699',
    });
    await emulator.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(signatureIsValid(delivery.body, delivery.signature, emulator.app.secret)).toBe(true);
    expect(JSON.parse(delivery.body)).toEqual({
      object: 'page',
      entry: [
        {
          id: bakery.id,
          time: expect.any(Number),
          changes: [
            {
              field: 'leadgen',
              value: {
                leadgen_id: lead.id,
                page_id: bakery.id,
                form_id: bakery.forms[0].id,
                ad_id: '600000000000699',
                adgroup_id: '600000000000699',
                created_time: expect.any(Number),
              },
            },
          ],
        },
      ],
    });
    const fetched = await graph(emulator, 'GET', `/v25.0/${lead.id}`, { token: bakery.accessToken });
    expect(fetched.body.field_data).toContainEqual({ name: 'email', values: ['new@mail.example'] });
  });

  it('sends nothing when the page has not installed the app, even with an app subscription', async () => {
    await subscribeApp();
    emulator.control.createLead({ formId: bakery.forms[0].id });
    await emulator.control.flushWebhooks();
    expect(receiver.received).toHaveLength(0);
    expect(emulator.control.webhookDeliveries()).toHaveLength(0);
  });

  it('omits ad ids for organic leads and honours a back-dated created time', async () => {
    await subscribeApp();
    await installOnPage();
    const created = Date.parse('2026-01-02T18:31:28Z');
    emulator.control.createLead({ formId: bakery.forms[0].id, createdTime: created });
    await emulator.control.flushWebhooks();
    const value = JSON.parse(receiver.received[0].body).entry[0].changes[0].value;
    expect(value).not.toHaveProperty('ad_id');
    expect(value.created_time).toBe(created / 1000);
  });

  it('forges a bad signature on request, which an independent check rejects', async () => {
    await subscribeApp();
    await installOnPage();
    emulator.control.setWebhookDelivery({ forgeSignature: true });
    emulator.control.createLead({ formId: bakery.forms[0].id });
    await emulator.control.flushWebhooks();
    expect(receiver.received[0].signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      signatureIsValid(receiver.received[0].body, receiver.received[0].signature, emulator.app.secret),
    ).toBe(false);
  });

  it('duplicates deliveries on request with identical bytes', async () => {
    await subscribeApp();
    await installOnPage();
    emulator.control.setWebhookDelivery({ duplicate: 2 });
    emulator.control.createLead({ formId: bakery.forms[0].id });
    await emulator.control.flushWebhooks();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it('drops a percentage of deliveries deterministically for a seed and logs them as dropped', async () => {
    await subscribeApp();
    await installOnPage();
    const run = async (): Promise<string[]> => {
      emulator.control.setWebhookDelivery({ dropPercent: 50, seed: 7 });
      for (let i = 0; i < 20; i++) emulator.control.createLead({ formId: bakery.forms[0].id });
      await emulator.control.flushWebhooks();
      return emulator.control
        .webhookDeliveries()
        .slice(-20)
        .map((d) => d.outcome);
    };
    const outcomes = await run();
    const dropped = outcomes.filter((o) => o === 'dropped').length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(20);
    expect(receiver.received).toHaveLength(20 - dropped);
    expect(await run()).toEqual(outcomes);
  });

  it('delays deliveries on request', async () => {
    await subscribeApp();
    await installOnPage();
    emulator.control.setWebhookDelivery({ delayMs: 150 });
    emulator.control.createLead({ formId: bakery.forms[0].id });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    await emulator.control.flushWebhooks();
    expect(receiver.received).toHaveLength(1);
  });

  it('creates leads and reads the delivery log over the HTTP control API', async () => {
    await subscribeApp();
    await installOnPage();
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${emulator.baseUrl}/__control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const lead = (await (
      await post('/leads', {
        formId: bakery.forms[0].id,
        fieldData: [{ name: 'email', values: ['http@mail.example'] }],
      })
    ).json()) as { id: string };
    const flushed = (await (await post('/webhooks/flush', {})).json()) as {
      deliveries: { leadId: string; outcome: string; signature: string }[];
    };
    expect(flushed.deliveries).toEqual([
      expect.objectContaining({
        leadId: lead.id,
        outcome: 'delivered',
        signature: receiver.received[0].signature,
      }),
    ]);
  });
});
