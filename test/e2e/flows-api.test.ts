import { signMetaBody } from '@flowcard/engine';
import type { FlowStepSpec } from '@flowcard/schemas';
import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

describe('the flows, runs and webhooks API', () => {
  let e2e: E2e;
  let page: Json;
  let memberKey: string;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
    page = e2e.fixtures.pages[0];
    const member = await createAdmin(
      {
        users: getBound(e2e.runtime.handle.container, Ports.users),
        workspaces: getBound(e2e.runtime.handle.container, Ports.workspaces),
      },
      { email: 'member@bakery.example', workspace: 'Bakery', role: 'member' },
    );
    memberKey = member.apiKey;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('creates a disabled flow with its trigger route, and lists and reads it for every member', async () => {
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: { spec: e2e.demoFlow(page.id, 'api') },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      enabled: false,
      version: 1,
      triggerKey: `meta:page:leadgen:${page.id}`,
      name: 'New lead → Workplace (api)',
    });
    const listed = await e2e.api('/v1/flows', { apiKey: memberKey });
    expect(listed.body.flows.map((f: Json) => f.id)).toContain(created.body.id);
    expect((await e2e.api(`/v1/flows/${created.body.id}`, { apiKey: memberKey })).status).toBe(200);
  });

  it('refuses a flow naming an unknown card, a configuration of another connector and a template to a later step', async () => {
    const spec = e2e.demoFlow(page.id, 'bad');
    spec.steps[0] = { ...spec.steps[0], card: 'workplace/post-to-nowhere@1' };
    spec.steps[1] = {
      ...spec.steps[1],
      configurationId: e2e.pageConfigurations[page.id],
      input: { recipientIds: ['1'], text: '{{steps.later.output.id}}' },
    };
    const answer = await e2e.api('/v1/flows', { method: 'POST', body: { spec } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('FLOWCARD_ERR_FLOW_INVALID');
    expect(answer.body.error.details.map((d: Json) => d.code)).toEqual(
      expect.arrayContaining([
        'FLOWCARD_ERR_FLOW_CARD_UNKNOWN',
        'FLOWCARD_ERR_FLOW_CONFIGURATION_UNUSABLE',
        'FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE',
      ]),
    );
    expect(
      answer.body.error.details.find((d: Json) => d.code === 'FLOWCARD_ERR_FLOW_CONFIGURATION_UNUSABLE')
        .message,
    ).toContain('belongs to connector facebook-leads, not workplace');
  });

  it('refuses an input the card forbids and an unclosed template, naming each (not 201 and a failing run)', async () => {
    const spec = e2e.demoFlow(page.id, 'broken');
    const [post, notify] = spec.steps as FlowStepSpec[];
    spec.steps[0] = { ...post, input: { ...post.input, pinned: '{{trigger.output.id}}' } };
    spec.steps[1] = { ...notify, input: { ...notify.input, text: 'Lead {{trigger.output.id' } };
    const answer = await e2e.api('/v1/flows', { method: 'POST', body: { spec } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details).toEqual([
      {
        code: 'FLOWCARD_ERR_FLOW_INPUT_INVALID',
        path: '/spec/steps/0/input/pinned',
        where: 'body',
        message:
          '/steps/0/input/pinned: card workplace/post-to-group@1 has no input "pinned"; its inputs are groupId, message, link',
      },
      {
        code: 'FLOWCARD_ERR_FLOW_TEMPLATE_SYNTAX',
        path: '/spec/steps/1/input/text',
        where: 'body',
        message: '/steps/1/input/text: template {{trigger.output.id is not closed: end it with "}}"',
      },
    ]);
  });

  it('refuses a configuration the saver may not use', async () => {
    // The page configuration is the owner's and private: the member may not build on it.
    const answer = await e2e.api('/v1/flows', {
      method: 'POST',
      apiKey: memberKey,
      body: { spec: e2e.demoFlow(page.id, 'member') },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.message).toContain('does not exist or is not shared with you');
  });

  it("lets only the flow's owner or an admin change it", async () => {
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: { spec: e2e.demoFlow(page.id, 'owned') },
    });
    for (const [method, path] of [
      ['POST', `/v1/flows/${created.body.id}/enable`],
      ['POST', `/v1/flows/${created.body.id}/run`],
      ['DELETE', `/v1/flows/${created.body.id}`],
    ]) {
      const answer = await e2e.api(path, {
        method,
        apiKey: memberKey,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN');
    }
    expect((await e2e.api(`/v1/flows/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await e2e.api(`/v1/flows/${created.body.id}`)).body.error.code).toBe(
      'FLOWCARD_ERR_FLOW_NOT_FOUND',
    );
  });

  it('warns when a flow using a sunset connector is enabled, and runs it now with a sample payload', async () => {
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: { spec: e2e.demoFlow(page.id, 'now') },
    });
    const enabled = await e2e.api(`/v1/flows/${created.body.id}/enable`, { method: 'POST' });
    expect(enabled.status).toBe(200);
    expect(enabled.body.flow.enabled).toBe(true);
    expect(enabled.body.warnings).toEqual([
      expect.objectContaining({ connector: 'workplace@1', status: 'sunset' }),
    ]);

    const started = await e2e.api(`/v1/flows/${created.body.id}/run`, {
      method: 'POST',
      body: {
        triggerOutput: { id: 'sample-1', fields: { full_name: 'Sam Sample', email: 'sam@mail.example' } },
      },
    });
    expect(started.status).toBe(202);
    const run = await waitFor('the run to succeed', async () => {
      const answer = await e2e.api(`/v1/runs/${started.body.runId}`);
      return answer.body.run?.status === 'succeeded' && answer.body;
    });
    expect(run.steps[0].input.message).toBe('[now] New lead: Sam Sample <sam@mail.example>');
    expect(run.run.dedupeKey).toBeNull();
    const disabled = await e2e.api(`/v1/flows/${created.body.id}/disable`, { method: 'POST' });
    expect(disabled.body.flow.enabled).toBe(false);
  });

  it('re-runs a failed run from the failed step, keeping the earlier output', async () => {
    const created = await e2e.api('/v1/flows', {
      method: 'POST',
      body: { spec: e2e.demoFlow(page.id, 'rerun') },
    });
    const integration = e2e.fixtures.workplace.integrationId;
    await e2e.emulator.call('POST', '/permissions/remove', {
      userId: integration,
      permission: 'message_any_member',
    });
    const started = await e2e.api(`/v1/flows/${created.body.id}/run`, { method: 'POST', body: {} });
    const failed = await waitFor('the run to fail', async () => {
      const answer = await e2e.api(`/v1/runs/${started.body.runId}`);
      return answer.body.run?.status === 'failed' && answer.body;
    });
    expect(failed.run.error).toMatchObject({
      code: 'FLOWCARD_ERR_PERMISSION_MISSING',
      stepId: 'notify',
      permission: 'message_any_member',
    });

    await e2e.emulator.call('POST', '/permissions/grant', {
      userId: integration,
      permission: 'message_any_member',
    });
    const rerun = await e2e.api(`/v1/runs/${started.body.runId}/rerun`, { method: 'POST' });
    expect(rerun.status).toBe(202);
    expect(rerun.body.stepId).toBe('notify');
    const finished = await waitFor('the re-run to succeed', async () => {
      const answer = await e2e.api(`/v1/runs/${started.body.runId}`);
      return answer.body.run?.status === 'succeeded' && answer.body;
    });
    expect(finished.steps.map((s: Json) => `${s.stepId}:${s.status}`)).toEqual([
      'post:succeeded',
      'notify:failed',
      'notify:succeeded',
    ]);
    expect((await e2e.api(`/v1/runs/${started.body.runId}/rerun`, { method: 'POST' })).body.error.code).toBe(
      'FLOWCARD_ERR_RUN_NOT_RERUNNABLE',
    );
  });

  it('answers the webhook handshake only with the deployment verify token', async () => {
    const token = e2e.runtime.handle.config.metaWebhookVerifyToken;
    const ok = await fetch(
      `${e2e.runtime.url}/v1/webhooks/meta?hub.mode=subscribe&hub.challenge=4711&hub.verify_token=${token}`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('4711');
    const refused = await fetch(
      `${e2e.runtime.url}/v1/webhooks/meta?hub.mode=subscribe&hub.challenge=4711&hub.verify_token=guess`,
    );
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).error.code).toBe('FLOWCARD_ERR_WEBHOOK_HANDSHAKE_REFUSED');
  });

  it('rejects forged and unsigned deliveries with 403, logging why but not the body', async () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: page.id,
          time: 1,
          changes: [{ field: 'leadgen', value: { leadgen_id: 'L-forged-secret-body', page_id: page.id } }],
        },
      ],
    });
    const forged = await fetch(`${e2e.runtime.url}/v1/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(body, 'not-the-app-secret'),
      },
      body,
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as Json).error.code).toBe('FLOWCARD_ERR_WEBHOOK_SIGNATURE_INVALID');
    const unsigned = await fetch(`${e2e.runtime.url}/v1/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(403);
    expect(e2e.runtime.logs()).toContain('signature does not match the body');
    expect(e2e.runtime.logs()).toContain('missing X-Hub-Signature-256 header');
    expect(e2e.runtime.logs()).not.toContain('L-forged-secret-body');

    const signed = await fetch(`${e2e.runtime.url}/v1/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(body, e2e.runtime.handle.config.meta.appSecret),
      },
      body,
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ received: 1 });
  });
});
