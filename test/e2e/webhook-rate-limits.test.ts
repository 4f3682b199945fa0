import type { FlowSpec } from '@flowcard/schemas';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

const LEADS = 15;
const LIMITED_MS = 60_000;

jest.setTimeout(240_000);

// Webhook lead fetches spend the shared rate limits like steps do: a Page that Meta rate-limits
// (code 32, one minute) while leads arrive is blocked for every worker after the first refusal,
// each webhook job waits until access is regained (delayed, not retried), and nothing is lost.
describe('leads arriving while their Page is rate limited', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

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

  it('makes a few Graph calls during the limited minute (not one per retry), then finishes every lead', async () => {
    const page = e2e.fixtures.pages[0];
    const flowId = await e2e.enabledFlow(leadReadingFlow(page));
    await e2e.emulator.call('DELETE', '/calls');
    await e2e.emulator.rateLimit({ code: 32, pageId: page.id, minutes: LIMITED_MS / 60_000 });
    // Call times are on the emulator's clock.
    const clock: Json = await e2e.emulator.call('GET', '/clock');
    const limitedUntil = Number(clock.ms) + LIMITED_MS;

    const leadIds: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      leadIds.push(
        (await e2e.emulator.createLead(page.forms[0].id, { email: `limited${i}@mail.example` })).id,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await e2e.emulator.flushWebhooks();

    const runs: Json[] = await waitFor(
      'a succeeded run for every lead',
      async () => {
        const all: Json[] = await e2e.runsOf(flowId);
        const succeeded = new Set(all.filter((r) => r.status === 'succeeded').map((r) => r.dedupeKey));
        return leadIds.every((id) => succeeded.has(id)) && all;
      },
      180_000,
    );
    expect(runs).toHaveLength(LEADS);

    // Every Graph call of this test concerns the Page: its leads (webhook fetches, steps) and its forms (polls).
    const calls = await e2e.emulator.calls();
    const at = (call: { time: string | number }): number =>
      typeof call.time === 'number' ? call.time : Date.parse(call.time);
    const duringTheMinute = calls.filter((call) => at(call) < limitedUntil - 1_000);
    const refused = duringTheMinute.filter((call) => call.status >= 400);
    console.log(
      calls
        .map(
          (call) =>
            `${Date.parse(call.time) - Number(clock.ms)}ms ${call.method} ${call.path} ${call.status}`,
        )
        .join('\n'),
    );
    console.log(
      `webhook-rate-limits: ${duringTheMinute.length} Graph calls for the Page during the limited minute (${refused.length} refused), ${calls.length} in all for ${LEADS} leads`,
    );
    expect(refused.length).toBeGreaterThan(0);
    // A few: the first refusal blocks the Page's budget for every worker until access is regained.
    expect(duringTheMinute.length).toBeLessThanOrEqual(3);
    // Afterwards one fetch and one step call per lead, no storm of retries.
    expect(calls.length - duringTheMinute.length).toBeLessThanOrEqual(LEADS * 2 + 3);
  });
});
