import { getBound } from '@flowcard/runtime';
import type { FlowSpec } from '@flowcard/schemas';
import { ConfigurationTokens } from '../../runtime/src/configurations/configuration-tokens';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

describe('a page token that expires mid-way', () => {
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

  /** New lead → read it with the Page's token (the step that parks) → post it to Workplace. */
  function leadReadingFlow(): FlowSpec {
    return {
      name: 'New lead → read it → Workplace',
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
          input: {
            groupId: e2e.fixtures.workplace.groups[0].id,
            message: '[d] {{steps.lead.output.id}} {{trigger.output.fields.email}}',
          },
        },
      ],
    };
  }

  /** The Page token Flowcard holds now (Meta expires exactly this one). */
  async function storedPageToken(): Promise<string> {
    const resolved = await getBound(e2e.runtime.handle.container, ConfigurationTokens.resolver).resolve(
      pageConfigurationId,
    );
    return resolved.secrets.accessToken;
  }

  it('parks the runs, loses no lead created in the gap, and finishes every one after re-authorisation', async () => {
    const flowId = await e2e.enabledFlow(leadReadingFlow());
    const form = page.forms[0].id;
    const leads: Json[] = [];
    leads.push(await e2e.emulator.createLead(form, { email: 'before@mail.example' }));
    await e2e.emulator.flushWebhooks();
    await waitFor('the first lead to run', async () =>
      (await e2e.runsOf(flowId)).some((r: Json) => r.status === 'succeeded'),
    );

    // Two leads whose runs have started but not yet called Meta when the token dies.
    await e2e.engine.runner.queue.pause();
    for (const email of ['inflight1@mail.example', 'inflight2@mail.example'])
      leads.push(await e2e.emulator.createLead(form, { email }));
    await e2e.emulator.flushWebhooks();
    await waitFor('their runs to be queued', async () => (await e2e.runsOf(flowId)).length === 3);
    await e2e.emulator.expireToken(await storedPageToken());
    await e2e.engine.runner.queue.resume();

    const parked = await waitFor('two runs waiting for re-authorisation', async () => {
      const waiting = (await e2e.runsOf(flowId)).filter((r: Json) => r.status === 'waiting_for_reauth');
      return waiting.length === 2 && waiting;
    });
    expect(parked[0].error.code).toBe('FLOWCARD_ERR_AUTH_INVALID_TOKEN');
    const configuration = await e2e.api(`/v1/configurations/${pageConfigurationId}`);
    expect(configuration.body.status).toBe('needs_reauth');
    const steps = (await e2e.api(`/v1/runs/${parked[0].id}`)).body.steps;
    expect(steps.map((s: Json) => s.status)).toEqual(['parked']);

    // Leads created while the configuration is broken: their webhooks arrive, nothing can read them yet.
    for (const email of ['gap1@mail.example', 'gap2@mail.example', 'gap3@mail.example'])
      leads.push(await e2e.emulator.createLead(form, { email }));
    await e2e.emulator.flushWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await e2e.runsOf(flowId)).filter((r: Json) => r.status === 'succeeded')).toHaveLength(1);

    const reconnected = await e2e.connectLeads();
    expect(reconnected.pages.find((p: Json) => p.pageId === page.id)).toMatchObject({
      configurationId: pageConfigurationId,
      reauthorized: true,
    });

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
    expect(runs.filter((r: Json) => r.status === 'succeeded')).toHaveLength(leads.length);
    // A lead that arrived while the configuration was broken waited as a blocked run, now `replayed`
    // and naming its run: still one run per lead.
    for (const lead of leads)
      expect(runs.filter((r: Json) => r.dedupeKey === lead.id && r.status !== 'replayed')).toHaveLength(1);
    expect((await e2e.api(`/v1/configurations/${pageConfigurationId}`)).body.status).toBe('active');
    const resumed = (await e2e.api(`/v1/runs/${parked[0].id}`)).body.steps;
    expect(resumed.map((s: Json) => `${s.stepId}:${s.status}`)).toEqual([
      'lead:parked',
      'lead:succeeded',
      'post:succeeded',
    ]);
  });
});
