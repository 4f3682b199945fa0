import type { FlowSpec } from '@flowcard/schemas';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

// FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE is the static budget every worker shares for one Page: once
// it is spent, steps wait for the next window (not an attempt, not a failure) without calling Meta.
describe("a Page's shared call budget from the runtime configuration", () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e(__filename, ['api', 'worker', 'scheduler'], {
      FLOWCARD_RATE_LIMIT_PAGE_PER_MINUTE: '2',
    });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('lets two calls a minute reach the Page and keeps the other steps waiting, not failed', async () => {
    const bakery = e2e.fixtures.pages[0];
    const configurationId = e2e.pageConfigurations[bakery.id];
    const spec: FlowSpec = {
      name: 'Read leads of the bakery',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId, input: { pageId: bakery.id } },
      steps: [
        {
          id: 'lead',
          card: 'facebook-leads/get-lead@1',
          configurationId,
          input: { leadId: '{{trigger.output.id}}' },
        },
      ],
    };
    // Not enabled: enabling polls the Page's forms, and trigger polls spend the same Page budget,
    // at a moment of their own. Run-now starts runs of a disabled flow, so only steps spend it here.
    const created = await e2e.api('/v1/flows', { method: 'POST', body: { spec } });
    expect(created.status).toBe(201);
    const flowId = created.body.id as string;
    await e2e.emulator.call('DELETE', '/calls');
    const leads = e2e.fixtures.leads.filter((lead: Json) => lead.pageId === bakery.id).slice(0, 4);
    expect(leads).toHaveLength(4);
    for (const lead of leads) {
      await e2e.api(`/v1/flows/${flowId}/run`, { method: 'POST', body: { triggerOutput: { id: lead.id } } });
    }

    await waitFor('two runs to succeed', async () => {
      const runs = await e2e.runsOf(flowId);
      return runs.filter((run: Json) => run.status === 'succeeded').length === 2;
    });
    // The budget's window is a minute: in the next seconds nothing else reaches the Page.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Lead reads only (any other call to the Page would be a trigger's, not a step's).
    const leadReads = (await e2e.emulator.calls({ pageId: bakery.id })).filter((call) =>
      /^\d+$/.test(call.path),
    );
    expect(leadReads).toHaveLength(2);
    const statuses = (await e2e.runsOf(flowId)).map((run: Json) => run.status).sort();
    // The waiting runs never started their step: still queued, none failed.
    expect(statuses).toEqual(['queued', 'queued', 'succeeded', 'succeeded']);
  }, 180_000);
});
