import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

/**
 * Nothing removed without consent, nothing dropped: admin B disconnects the Meta account that user
 * A's Lead Ads flow depends on. A is the e2e owner (Lead Ads configurations through Connect Meta, and
 * the flow); B is another admin who connected the same Facebook account for Pages.
 */
describe('disconnecting a Meta account another user depends on', () => {
  let e2e: E2e;
  let page: Json;
  let bKey: string;
  let flowId: string;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
    page = e2e.fixtures.pages[0];
    const container = e2e.runtime.handle.container;
    bKey = (
      await createAdmin(
        { users: getBound(container, Ports.users), workspaces: getBound(container, Ports.workspaces) },
        { email: 'b@bakery.example', workspace: 'Bakery', role: 'admin' },
      )
    ).apiKey;
    // B connects the same Facebook account, for Pages.
    const started = await e2e.api('/v1/connect/meta/start', {
      method: 'POST',
      apiKey: bKey,
      body: { connector: 'facebook-pages' },
    });
    const callback = (await fetch(started.body.url, { redirect: 'manual' })).headers.get('location')!;
    const connected = await fetch(callback, {
      headers: { cookie: `flowcard_meta_session=${started.body.sessionId}`, accept: 'application/json' },
    });
    expect(connected.status).toBe(200);
    flowId = await e2e.enabledFlow(e2e.demoFlow(page.id, 'removal'));
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it("lists A's configurations and flow first, and removes nothing without confirmation", async () => {
    const metaUserId = e2e.fixtures.user.id;
    const impact = await e2e.api(`/v1/connect/meta/connections/${metaUserId}/impact`, { apiKey: bKey });
    expect(impact.status).toBe(200);
    const aConfigurations = Object.values(e2e.pageConfigurations);
    expect(impact.body.configurations.slice(0, 2).map((c: Json) => [c.id, c.yours, c.ownerEmail])).toEqual(
      aConfigurations.map((id) => [id, false, 'owner@bakery.example']),
    );
    expect(impact.body.configurations.slice(2).map((c: Json) => [c.connector, c.yours])).toEqual([
      ['facebook-pages', true],
      ['facebook-pages', true],
    ]);
    expect(impact.body.flows).toEqual([
      {
        id: flowId,
        name: 'New lead → Workplace (removal)',
        ownerId: expect.any(String),
        ownerEmail: 'owner@bakery.example',
        enabled: true,
        configurationIds: [e2e.pageConfigurations[page.id]],
        yours: false,
      },
    ]);
    expect(impact.body.confirmationRequired).toBe(true);

    const unconfirmed = await e2e.api(`/v1/connect/meta/connections/${metaUserId}`, {
      method: 'DELETE',
      apiKey: bKey,
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error.code).toBe('FLOWCARD_ERR_REMOVAL_NOT_CONFIRMED');
    expect(unconfirmed.body.error.message).toBe(
      "This removal reaches 4 configuration(s), 2 of them other people's and 1 flow(s) that would be paused: the details list them. Repeat it with ?confirm=true once everyone concerned agrees",
    );
    expect(
      unconfirmed.body.error.details.filter((d: Json) => d.kind === 'flow').map((d: Json) => d.id),
    ).toEqual([flowId]);
    expect((await e2e.api(`/v1/configurations/${e2e.pageConfigurations[page.id]}`)).status).toBe(200);
  });

  it("pauses A's flow with the reason and tells A, once confirmed", async () => {
    const removed = await e2e.api(`/v1/connect/meta/connections/${e2e.fixtures.user.id}?confirm=true`, {
      method: 'DELETE',
      apiKey: bKey,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: 4, revokedAtMeta: true });
    const flow = (await e2e.api(`/v1/flows/${flowId}`)).body;
    const view = flow.flow ?? flow;
    expect(view.enabled).toBe(true);
    expect(view.paused).toMatchObject({
      code: 'configuration_removed',
      configurationIds: [e2e.pageConfigurations[page.id]],
    });
    expect(view.paused.reason).toMatch(
      /^"Flowcard Bakery" was disconnected by b@bakery\.example on \d{4}-\d{2}-\d{2}$/,
    );
    const told = (await e2e.api('/v1/notifications')).body.notifications;
    const kinds = told.map((n: Json) => n.kind).sort();
    expect(kinds).toEqual(['configuration.removed', 'configuration.removed', 'flow.paused']);
    const paused = told.find((n: Json) => n.kind === 'flow.paused');
    expect(paused.body).toBe(
      `The flow "New lead → Workplace (removal)" is paused: ${view.paused.reason}. New items wait as blocked runs; reconnect, then replay them.`,
    );
  });

  it('keeps a lead arriving meanwhile as a blocked run, which succeeds after A reconnects and replays it', async () => {
    const lead = await e2e.emulator.createLead(page.forms[0].id, { email: 'gap@mail.example' });
    await e2e.emulator.flushWebhooks();
    const [blocked] = await waitFor('a blocked run', async () => {
      const runs = await e2e.runsOf(flowId);
      return runs.length === 1 && runs[0].status === 'blocked' && runs;
    });
    expect(blocked.dedupeKey).toBe(lead.id);
    expect(blocked.error.message).toBe(
      `Not run yet: its configuration "Flowcard Bakery" was removed. It waits here; replay it once the flow is reconnected`,
    );
    // Replaying before the reconnect is refused, and loses nothing.
    const early = await e2e.api(`/v1/runs/${blocked.id}/replay`, { method: 'POST' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('FLOWCARD_ERR_RUN_STILL_BLOCKED');
    // Only the flow's owner or an admin may replay: a member who sees it gets 403.
    const member = await createAdmin(
      {
        users: getBound(e2e.runtime.handle.container, Ports.users),
        workspaces: getBound(e2e.runtime.handle.container, Ports.workspaces),
      },
      { email: 'm@bakery.example', workspace: 'Bakery', role: 'member' },
    );
    expect(
      (await e2e.api(`/v1/runs/${blocked.id}/replay`, { method: 'POST', apiKey: member.apiKey })).status,
    ).toBe(403);

    const reconnected = await e2e.connectLeads();
    const newId = reconnected.pages.find((p: Json) => p.pageId === page.id).configurationId;
    expect(newId).not.toBe(e2e.pageConfigurations[page.id]);
    const flow = (await e2e.api(`/v1/flows/${flowId}`)).body;
    const view = flow.flow ?? flow;
    expect(view.paused).toBeNull();
    expect(view.spec.trigger.configurationId).toBe(newId);

    const replayed = await e2e.api(`/v1/runs/${blocked.id}/replay`, { method: 'POST' });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual({ runId: blocked.id, flowId, started: true });
    const runs = await waitFor('the replayed run to succeed', async () => {
      const all = await e2e.runsOf(flowId);
      return all.length === 1 && all[0].status === 'succeeded' && all;
    });
    expect(runs.map((r: Json) => [r.id, r.dedupeKey])).toEqual([[blocked.id, lead.id]]);
    const messages = await e2e.emulator.workplaceMessages();
    expect(messages.filter((m) => m.text.startsWith(`[removal] ${lead.id}:`))).toHaveLength(1);
    // A second replay of the same run does nothing twice.
    const again = await e2e.api(`/v1/runs/${blocked.id}/replay`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FLOWCARD_ERR_RUN_NOT_BLOCKED');
  });

  it('asks before deleting a configuration a flow uses, then pauses the flow', async () => {
    const flow = (await e2e.api(`/v1/flows/${flowId}`)).body;
    const configurationId = (flow.flow ?? flow).spec.trigger.configurationId;
    const impact = await e2e.api(`/v1/configurations/${configurationId}/impact`);
    expect(impact.body).toMatchObject({
      configurations: [{ id: configurationId, yours: true }],
      flows: [{ id: flowId, yours: true }],
      confirmationRequired: true,
    });
    const refused = await e2e.api(`/v1/configurations/${configurationId}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'This removal reaches 1 configuration(s) and 1 flow(s) that would be paused: the details list them. Repeat it with ?confirm=true once everyone concerned agrees',
    );
    expect(
      (await e2e.api(`/v1/configurations/${configurationId}?confirm=true`, { method: 'DELETE' })).status,
    ).toBe(204);
    const after = (await e2e.api(`/v1/flows/${flowId}`)).body;
    expect((after.flow ?? after).paused.reason).toMatch(
      /^"Flowcard Bakery" was deleted by owner@bakery\.example on /,
    );
  });
});
