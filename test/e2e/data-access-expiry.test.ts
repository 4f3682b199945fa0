import { getBound } from '@flowcard/runtime';
import type { FlowSpec } from '@flowcard/schemas';
import { ConfigurationTokens } from '../../runtime/src/configurations/configuration-tokens';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

const DAY = 24 * 60 * 60_000;

/**
 * Token truth end to end: Meta's clock (the emulator's) and Flowcard's move past day 90 after
 * consent, when a Page's data access ends although its token never expires by time.
 */
describe('data access ending at day 90', () => {
  let e2e: E2e;
  let page: Json;
  let pageConfigurationId: string;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
    page = e2e.fixtures.pages[0];
    pageConfigurationId = e2e.pageConfigurations[page.id];
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const advance = async (ms: number): Promise<void> => {
    getBound(e2e.runtime.handle.container, ConfigurationTokens.clock).advance(ms);
    await e2e.emulator.call('POST', '/clock/advance', { ms });
  };
  const sweep = () => e2e.api('/v1/lifecycle/sweep', { method: 'POST' });

  /** New lead → read it with the Page's token → post it to Workplace. */
  function leadReadingFlow(): FlowSpec {
    return {
      name: 'New lead → read it → Workplace (expiry)',
      trigger: {
        card: 'facebook-leads/new-lead@1',
        configurationId: pageConfigurationId,
        input: { pageId: page.id },
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
          input: { groupId: e2e.fixtures.workplace.groups[0].id, message: '[x] {{steps.lead.output.id}}' },
        },
      ],
    };
  }

  it('parks runs as waiting for re-authorisation past day 90; none fails, none is lost after reconnecting', async () => {
    const flowId = await e2e.enabledFlow(leadReadingFlow());
    const form = page.forms[0].id;
    const leads: Json[] = [];

    // Day 76: expiring, and still running.
    await advance(76 * DAY);
    expect((await sweep()).body.tokens.reminders).toBeGreaterThan(0);
    expect((await e2e.api(`/v1/configurations/${pageConfigurationId}`)).body.status).toBe('expiring');
    leads.push(await e2e.emulator.createLead(form, { email: 'day76@mail.example' }));
    await e2e.emulator.flushWebhooks();
    await waitFor('the day-76 lead to run', async () =>
      (await e2e.runsOf(flowId)).some((r: Json) => r.status === 'succeeded'),
    );

    // A lead whose run is queued but has not called Meta when data access ends.
    await e2e.engine.runner.queue.pause();
    leads.push(await e2e.emulator.createLead(form, { email: 'inflight@mail.example' }));
    await e2e.emulator.flushWebhooks();
    await waitFor('its run to be queued', async () => (await e2e.runsOf(flowId)).length === 2);
    await advance(15 * DAY); // day 91
    await sweep();
    expect((await e2e.api(`/v1/configurations/${pageConfigurationId}`)).body.status).toBe('expired');
    await e2e.engine.runner.queue.resume();
    await waitFor('the in-flight run to wait for re-authorisation', async () =>
      (await e2e.runsOf(flowId)).some((r: Json) => r.status === 'waiting_for_reauth'),
    );

    // A lead arriving now cannot even be read: it waits as a blocked run.
    leads.push(await e2e.emulator.createLead(form, { email: 'day91@mail.example' }));
    await e2e.emulator.flushWebhooks();
    await waitFor('a blocked run', async () =>
      (await e2e.runsOf(flowId)).some((r: Json) => r.status === 'blocked'),
    );
    const before = await e2e.runsOf(flowId);
    expect(before.map((r: Json) => r.status).sort()).toEqual(['blocked', 'succeeded', 'waiting_for_reauth']);

    // Reconnecting renews the same configuration: parked runs resume, and the blocked one is replayed.
    await e2e.connectLeads();
    expect((await e2e.api(`/v1/configurations/${pageConfigurationId}`)).body.status).toBe('active');
    const blocked = before.find((r: Json) => r.status === 'blocked');
    const replayed = await e2e.api(`/v1/runs/${blocked.id}/replay`, { method: 'POST' });
    // The backfill after the renewal may have started it first: the same run either way.
    if (replayed.status === 200) expect(replayed.body.runId).toBe(blocked.id);
    else expect(replayed.body.error.code).toBe('FLOWCARD_ERR_RUN_NOT_BLOCKED');

    const runs = await waitFor(
      'a succeeded run for every lead',
      async () => {
        const all = await e2e.runsOf(flowId);
        return (
          leads.every((lead) => all.some((r: Json) => r.dedupeKey === lead.id && r.status === 'succeeded')) &&
          all
        );
      },
      30_000,
    );
    expect(runs).toHaveLength(leads.length);
    expect(runs.filter((r: Json) => r.status === 'failed')).toEqual([]);
  });
});
