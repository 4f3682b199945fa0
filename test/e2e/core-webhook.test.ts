import { createHmac } from 'node:crypto';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

const SECRET = 'whsec-3f9a1c-never-shown';
const LIMIT = 4096;

function sign(body: string): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

/** A POST to a webhook URL with no API key: the URL (and the signature) is the authentication. */
async function deliver(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Json) };
}

describe('the incoming webhook trigger (core/webhook) over HTTP, with real Redis, store and workers', () => {
  let e2e: E2e;
  let flowId: string;
  let webhookUrl: string;

  beforeAll(async () => {
    e2e = await startE2e(__filename, ['api', 'worker', 'scheduler'], {
      FLOWCARD_HOOK_BODY_LIMIT_BYTES: String(LIMIT),
      // Request lines (info) included, to show the URL's token is masked in them.
      LOG_LEVEL: 'info',
    });
    const configuration = await e2e.api('/v1/configurations', {
      method: 'POST',
      body: {
        connector: 'core',
        kind: 'webhook',
        nickname: 'Shop signing secret',
        values: { secret: SECRET },
        sharing: { mode: 'workspace' },
      },
    });
    if (configuration.status !== 201) throw new Error(JSON.stringify(configuration.body));
    expect(JSON.stringify(configuration.body)).not.toContain(SECRET);
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: {
        spec: {
          name: 'Order webhook',
          trigger: { card: 'core/webhook@1', configurationId: configuration.body.id, input: {} },
          steps: [
            {
              id: 'total',
              card: 'core/transform@1',
              input: { expression: '$number(trigger.output.body.total) * 2' },
            },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    webhookUrl = created.body.webhookUrl;
    expect(webhookUrl).toMatch(/\/v1\/hooks\/[A-Za-z0-9_-]{43}$/);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('answers 404 while the flow is disabled, then keeps its URL across saves and enabling', async () => {
    const disabled = await deliver(webhookUrl, '{}', { 'content-type': 'application/json' });
    expect(disabled.status).toBe(404);
    expect(disabled.body.error.code).toBe('FLOWCARD_ERR_HOOK_NOT_FOUND');
    expect((await e2e.api(`/v1/flows/${flowId}/enable`, { method: 'POST' })).status).toBe(200);
    const shown = await e2e.api(`/v1/flows/${flowId}`);
    expect(shown.body.webhookUrl).toBe(webhookUrl);
    const saved = await e2e.api(`/v1/flows/${flowId}`, {
      method: 'PUT',
      body: { spec: { ...shown.body.spec, name: 'Order webhook (renamed)' } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.flow.webhookUrl).toBe(webhookUrl);
  });

  it('refuses a missing or bad signature (401) and an oversize body (413), starting no run', async () => {
    const body = JSON.stringify({ total: 21 });
    const unsigned = await deliver(webhookUrl, body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error).toEqual({
      code: 'FLOWCARD_ERR_HOOK_SIGNATURE_INVALID',
      message:
        "The delivery is not signed with this flow's webhook secret: the x-flowcard-signature header is missing",
    });
    const forged = await deliver(webhookUrl, body, {
      'content-type': 'application/json',
      'x-flowcard-signature': sign(JSON.stringify({ total: 22 })),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toContain('the signature does not match the body');
    const big = JSON.stringify({ total: 1, pad: 'x'.repeat(LIMIT) });
    const oversize = await deliver(webhookUrl, big, {
      'content-type': 'application/json',
      'x-flowcard-signature': sign(big),
    });
    expect(oversize.status).toBe(413);
    expect(oversize.body.error).toEqual({
      code: 'FLOWCARD_ERR_HOOK_BODY_TOO_LARGE',
      message: `The delivery's body is larger than ${LIMIT} bytes, the most a webhook accepts`,
    });
    expect(await e2e.runsOf(flowId)).toEqual([]);
  });

  it('runs exactly once per good delivery, with body, query and headers but no credentials', async () => {
    const body = JSON.stringify({ total: 21 });
    const headers = {
      'content-type': 'application/json',
      'x-flowcard-signature': sign(body),
      'x-flowcard-delivery': 'dlv-1',
      authorization: 'Bearer caller-token',
      cookie: 'session=abc',
      'x-api-key': 'caller-key',
      'x-shop': 'bakery',
    };
    const first = await deliver(`${webhookUrl}?source=shop`, body, headers);
    expect(first.status).toBe(202);
    const again = await deliver(`${webhookUrl}?source=shop`, body, headers);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ runId: first.body.runId, duplicate: true });
    const other = await deliver(webhookUrl, 'total=5', {
      'content-type': 'application/x-www-form-urlencoded',
      'x-flowcard-signature': sign('total=5'),
    });
    expect(other.status).toBe(202);
    expect(other.body.runId).not.toBe(first.body.runId);

    const details = await waitFor('the webhook run to succeed', async () => {
      const answer = await e2e.api(`/v1/runs/${first.body.runId}`);
      return answer.body.run?.status === 'succeeded' ? answer.body : undefined;
    });
    expect(details.steps.map((s: Json) => s.output)).toEqual([42]);
    const output = details.run.triggerOutput;
    expect(output).toMatchObject({
      body: { total: 21 },
      query: { source: 'shop' },
      deliveryId: 'dlv-1',
      headers: { 'content-type': 'application/json', 'x-shop': 'bakery', 'x-flowcard-delivery': 'dlv-1' },
    });
    for (const name of ['authorization', 'cookie', 'x-api-key', 'x-flowcard-signature'])
      expect(output.headers).not.toHaveProperty(name);
    const form = await waitFor('the form run to succeed', async () => {
      const answer = await e2e.api(`/v1/runs/${other.body.runId}`);
      return answer.body.run?.status === 'succeeded' ? answer.body : undefined;
    });
    expect(form.run.triggerOutput.body).toEqual({ total: '5' });
    expect(form.steps.map((s: Json) => s.output)).toEqual([10]);
    const runs = await e2e.runsOf(flowId);
    expect(runs.map((run: Json) => run.id).sort()).toEqual([first.body.runId, other.body.runId].sort());
    expect(JSON.stringify(runs)).not.toContain(SECRET);
  });

  it('rotating the URL makes the old one answer 404 and the new one start runs', async () => {
    const rotated = await e2e.api(`/v1/flows/${flowId}/webhook/rotate`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhookUrl).toMatch(/\/v1\/hooks\/[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.webhookUrl).not.toBe(webhookUrl);
    const body = JSON.stringify({ total: 1 });
    const old = await deliver(webhookUrl, body, {
      'content-type': 'application/json',
      'x-flowcard-signature': sign(body),
    });
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe('FLOWCARD_ERR_HOOK_NOT_FOUND');
    const fresh = await deliver(rotated.body.webhookUrl, body, {
      'content-type': 'application/json',
      'x-flowcard-signature': sign(body),
    });
    expect(fresh.status).toBe(202);
    const notWebhook = await e2e.api('/v1/flows', {
      method: 'POST',
      body: {
        spec: {
          name: 'Manual',
          trigger: { card: 'core/manual@1', input: {} },
          steps: [{ id: 't', card: 'core/transform@1', input: { expression: '1' } }],
        },
      },
    });
    const refused = await e2e.api(`/v1/flows/${notWebhook.body.id}/webhook/rotate`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('FLOWCARD_ERR_FLOW_NOT_WEBHOOK');
  });

  it('never logs the signing secret or a webhook token (request lines show /v1/hooks/[redacted])', () => {
    const logs = e2e.runtime.logs();
    expect(logs).toContain('webhook delivery rejected');
    expect(logs).toContain('/v1/hooks/[redacted]');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(webhookUrl.split('/').pop()!);
  });
});
