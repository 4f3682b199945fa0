import type { FlowSpec } from '@flowcard/schemas';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

describe('a rate-limited page', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  /** New lead → read it with the Page's token: every step call spends that Page's budget. */
  function leadReadingFlow(page: Json): FlowSpec {
    const configurationId = e2e.pageConfigurations[page.id];
    return {
      name: `Read leads of ${page.name}`,
      trigger: { card: 'facebook-leads/new-lead@1', configurationId, input: { pageId: page.id } },
      steps: [
        {
          id: 'lead',
          card: 'facebook-leads/get-lead@1',
          configurationId,
          input: { leadId: '{{trigger.output.id}}' },
        },
      ],
    };
  }

  async function runNow(flowId: string, leadId: string): Promise<string> {
    const started = await e2e.api(`/v1/flows/${flowId}/run`, {
      method: 'POST',
      body: { triggerOutput: { id: leadId } },
    });
    return started.body.runId;
  }

  it("delays the limited page's steps instead of failing them, stops calling it, and lets the other page proceed", async () => {
    const [bakery, bikes] = e2e.fixtures.pages;
    const bakeryFlow = await e2e.enabledFlow(leadReadingFlow(bakery));
    const bikesFlow = await e2e.enabledFlow(leadReadingFlow(bikes));
    const bakeryLeads = e2e.fixtures.leads.filter((lead: Json) => lead.pageId === bakery.id);
    const bikesLeads = e2e.fixtures.leads.filter((lead: Json) => lead.pageId === bikes.id);
    await e2e.emulator.rateLimit({ code: 32, pageId: bakery.id, minutes: 1 });
    await e2e.emulator.call('DELETE', '/calls');

    const bakeryRuns: string[] = [];
    for (const lead of bakeryLeads) bakeryRuns.push(await runNow(bakeryFlow, lead.id));
    for (const lead of bikesLeads) await runNow(bikesFlow, lead.id);

    await waitFor('every run of the other page to succeed', async () => {
      const runs = await e2e.runsOf(bikesFlow);
      return runs.length === bikesLeads.length && runs.every((r: Json) => r.status === 'succeeded');
    });
    // Meta refused a call of the limited page: a step's (recorded as delayed) or the enabled flow's
    // first poll's (polls spend the same shared budget). Either way the page's budget is blocked and
    // the steps behind it wait without calling (not an attempt, so no record). None failed.
    await waitFor('a call of the limited page to be refused, with no run failing', async () => {
      const details = await Promise.all(
        bakeryRuns.map(async (runId) => (await e2e.api(`/v1/runs/${runId}`)).body),
      );
      expect(
        details
          .map((d: Json) => d.run.status)
          .filter((status: string) => !['queued', 'running'].includes(status)),
      ).toEqual([]);
      const refused = (await e2e.emulator.calls({ pageId: bakery.id })).filter((c) => c.errorCode === 32);
      return refused.length > 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refusedSoFar = (await e2e.emulator.calls({ pageId: bakery.id })).filter(
      (c) => c.errorCode === 32,
    ).length;
    expect(refusedSoFar).toBeGreaterThan(0);
    // Once refused, the page's budget is blocked for every worker: no more calls until access is regained.
    expect(refusedSoFar).toBeLessThanOrEqual(bakeryRuns.length + 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await e2e.emulator.calls({ pageId: bakery.id })).toHaveLength(refusedSoFar);

    await e2e.emulator.clearFaults();
    const finished = await waitFor(
      'the delayed runs to succeed once access is regained',
      async () => {
        const runs = await e2e.runsOf(bakeryFlow);
        return runs.length === bakeryRuns.length && runs.every((r: Json) => r.status === 'succeeded') && runs;
      },
      150_000,
    );
    expect(finished.every((r: Json) => r.error === null)).toBe(true);
  }, 180_000);
});
