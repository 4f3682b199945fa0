import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { FlowSpec } from '@flowcard/schemas';
import { FlowCache } from '../../packages/engine/src/flows/flow-cache';
import { FlowLifecycle } from '../../packages/engine/src/flows/flow-lifecycle';
import { flowTriggerKey } from '../../packages/engine/src/flows/flow-trigger-key';
import type { FlowDocument, FlowRepository } from '../../packages/engine/src/ports/flow-repository';
import { answerMetaHandshake } from '../../packages/engine/src/triggers/meta-webhook-handshake';
import { TriggerPoller } from '../../packages/engine/src/triggers/trigger-poller';
import { TriggerRunStarter } from '../../packages/engine/src/triggers/trigger-run-starter';
import { TriggerWorker } from '../../packages/engine/src/triggers/trigger-worker';
import { WebhookRouter } from '../../packages/engine/src/triggers/webhook-router';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from '../support/wait-for';

const VERIFY_TOKEN = 'verify-me';

describe('Meta webhooks and the lead poller', () => {
  let h: FlowHarness;
  let triggers: Queue;
  let router: WebhookRouter;
  let poller: TriggerPoller;
  let worker: TriggerWorker;
  let lifecycle: FlowLifecycle;
  let server: Server;
  let callbackUrl: string;
  let flows: FlowRepository;
  const rejected: number[] = [];

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    flows = h.store.flows;
    const triggerState = h.store.triggerState;
    const page = h.emulator.fixtures.pages[0];
    h.configurations.set({
      id: 'cfg_page',
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'facebook-leads',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0', pageId: page.id },
      secrets: { accessToken: page.accessToken },
    });
    h.configurations.set({
      id: 'cfg_wp',
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'workplace',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: h.emulator.fixtures.workplace.adminToken },
    });
    triggers = new Queue('flowcard-triggers', { connection: h.redis, prefix: h.prefix });
    const cache = new FlowCache({ repository: flows, maxAgeMs: 0 });
    const starter = new TriggerRunStarter(h.runner);
    router = new WebhookRouter({
      queue: triggers,
      appSecret: h.emulator.app.secret,
      cards: h.registry,
      flows: cache,
      configurations: h.configurations,
      fetcher: h.executor,
      starter,
    });
    poller = new TriggerPoller({
      queue: triggers,
      cards: h.registry,
      flows: cache,
      configurations: h.configurations,
      executor: h.executor,
      state: triggerState,
      starter,
      parked: h.parked,
      intervalMs: 60 * 60_000,
    });
    worker = new TriggerWorker({ connection: h.redis, prefix: h.prefix, router, poller });
    lifecycle = new FlowLifecycle({
      cards: h.registry,
      configurations: h.configurations,
      subscriber: h.executor,
      poller,
      flows,
      cache,
    });
    h.runner.createWorker({ concurrency: 20 });

    // The webhook endpoint as the runtime will serve it: raw body in, router decides.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET') {
        const answer = answerMetaHandshake(Object.fromEntries(url.searchParams), VERIFY_TOKEN);
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        router.ingest(Buffer.concat(chunks), req.headers['x-hub-signature-256'] as string | undefined).then(
          (result) => {
            if (result.status === 403) rejected.push(403);
            res.writeHead(result.status).end();
          },
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
    const subscribed = await fetch(`${h.emulator.baseUrl}/v25.0/${h.emulator.app.id}/subscriptions`, {
      method: 'POST',
      body: new URLSearchParams({
        object: 'page',
        callback_url: callbackUrl,
        fields: 'leadgen',
        verify_token: VERIFY_TOKEN,
        access_token: h.emulator.fixtures.app.accessToken,
      }),
    });
    expect(subscribed.status).toBe(200);
  });

  afterAll(async () => {
    await worker.close();
    await triggers.close();
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  let flowCount = 0;
  async function enabledFlow(formId?: string): Promise<FlowDocument> {
    flowCount += 1;
    const tag = `f${flowCount}`;
    const page = h.emulator.fixtures.pages[0];
    const spec: FlowSpec = {
      name: 'New lead → Workplace',
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: 'cfg_page',
        input: { pageId: page.id, ...(formId ? { formId } : {}) },
      },
      steps: [
        {
          id: 'notify',
          card: 'workplace/send-message@1',
          configurationId: 'cfg_wp',
          input: {
            recipientIds: [h.emulator.fixtures.workplace.members[0].id],
            text: `[${tag}] Lead {{trigger.output.id}} {{trigger.output.fields.email}}`,
          },
        },
      ],
    };
    const flow = await flows.create({
      workspaceId: 'ws1',
      ownerId: 'u1',
      spec,
      enabled: true,
      triggerKey: flowTriggerKey(spec, h.registry.card(spec.trigger.card)),
    });
    await lifecycle.enabled(flow);
    return flow;
  }

  const runsOf = async (flowId: string) => h.history.listRuns({ flowId, limit: 1000 });
  /** Messages the flow numbered `n` (1-based, in creation order) sent for a lead. */
  const messagesFor = (leadId: string, n: number) =>
    h.emulator.control.workplaceMessages().filter((m) => m.text.startsWith(`[f${n}] Lead ${leadId} `));

  it('subscribes the page when a flow is enabled', async () => {
    await enabledFlow();
    const subscribedApps = h.emulator.control.calls({ path: 'subscribed_apps', method: 'POST' });
    expect(subscribedApps.map((c) => c.status)).toContain(200);
  });

  it('runs a flow for a new lead delivered by webhook, once however often Meta and the poller report it', async () => {
    const flow = await enabledFlow();
    const form = h.emulator.fixtures.pages[0].forms[0];
    h.emulator.control.setWebhookDelivery({ duplicate: 4 });
    const lead = h.emulator.control.createLead({ formId: form.id, fieldData: { email: 'once@example.com' } });
    await h.emulator.control.flushWebhooks();
    await waitFor('the run to succeed', async () =>
      (await runsOf(flow.id)).some((r) => r.dedupeKey === lead.id && r.status === 'succeeded'),
    );
    await poller.poll(flow.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const runs = (await runsOf(flow.id)).filter((r) => r.dedupeKey === lead.id);
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('succeeded');
    expect(messagesFor(lead.id, flowCount)).toHaveLength(1);
    expect(
      h.emulator.control.webhookDeliveries().filter((d) => JSON.stringify(d).includes(lead.id)).length,
    ).toBeGreaterThanOrEqual(5);
    h.emulator.control.setWebhookDelivery({ duplicate: 0 });
  });

  it('rejects forged and unsigned deliveries with 403 and starts nothing', async () => {
    const flow = await enabledFlow();
    h.emulator.control.setWebhookDelivery({ forgeSignature: true });
    const lead = h.emulator.control.createLead({
      formId: h.emulator.fixtures.pages[0].forms[1].id,
      fieldData: { email: 'forged@example.com' },
    });
    await h.emulator.control.flushWebhooks();
    h.emulator.control.setWebhookDelivery({ forgeSignature: false });
    const forged = h.emulator.control.webhookDeliveries().filter((d) => JSON.stringify(d).includes(lead.id));
    expect(forged.map((d) => d.status)).toEqual([403]);

    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '1',
          time: 1,
          changes: [
            {
              field: 'leadgen',
              value: { leadgen_id: 'L-unsigned', page_id: h.emulator.fixtures.pages[0].id },
            },
          ],
        },
      ],
    });
    const unsigned = await fetch(callbackUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // (The forged lead itself exists at Meta: the poller may still find it, which is right.)
    expect((await runsOf(flow.id)).filter((r) => r.dedupeKey === 'L-unsigned')).toEqual([]);
  });

  it('delivers every lead exactly once when 30% of webhooks are dropped, thanks to the poller', async () => {
    const flow = await enabledFlow();
    h.emulator.control.setWebhookDelivery({ dropPercent: 30, seed: 7 });
    const form = h.emulator.fixtures.pages[0].forms[0];
    const leads = Array.from({ length: 20 }, (_, i) =>
      h.emulator.control.createLead({ formId: form.id, fieldData: { email: `drop${i}@example.com` } }),
    );
    await h.emulator.control.flushWebhooks();
    h.emulator.control.setWebhookDelivery({ dropPercent: 0 });
    await poller.poll(flow.id);
    await waitFor('every lead to have a finished run', async () => {
      const runs = await runsOf(flow.id);
      return leads.every((lead) => runs.some((r) => r.dedupeKey === lead.id && r.status === 'succeeded'));
    });
    const runs = await runsOf(flow.id);
    for (const lead of leads) {
      expect(runs.filter((r) => r.dedupeKey === lead.id)).toHaveLength(1);
      expect(messagesFor(lead.id, flowCount)).toHaveLength(1);
    }
    expect(h.emulator.control.webhookDeliveries().length).toBeGreaterThan(0);
  });

  it('routes only to flows whose form filter matches', async () => {
    const page = h.emulator.fixtures.pages[0];
    const [formA, formB] = page.forms;
    const onlyB = await enabledFlow(formB.id);
    const lead = h.emulator.control.createLead({ formId: formA.id, fieldData: { email: 'a@example.com' } });
    await h.emulator.control.flushWebhooks();
    await waitFor('the lead to reach an unfiltered flow', () => messagesFor(lead.id, 1).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await runsOf(onlyB.id)).toHaveLength(0);
  });

  it('unsubscribes the page only when the last flow on it is disabled', async () => {
    const all = await flows.listEnabledByTriggerKey(`meta:page:leadgen:${h.emulator.fixtures.pages[0].id}`);
    h.emulator.control.clearCalls();
    for (const [index, flow] of all.entries()) {
      const disabled = await flows.update(flow.id, flow.version, { enabled: false });
      await lifecycle.disabled(disabled);
      const deletes = h.emulator.control.calls({ path: 'subscribed_apps', method: 'DELETE' });
      expect(deletes).toHaveLength(index === all.length - 1 ? 1 : 0);
    }
  });
});
