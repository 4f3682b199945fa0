import { signMetaBody } from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import { startE2e, waitFor, type E2e, type Json } from './support/e2e-runtime';

// A trigger job that fails for good (here: Meta does not know the lead the webhook names) is not
// silent: it is logged with flow, item and classified error, counted on /health, and listed for the
// flow's owner through the API.
describe('trigger jobs that fail', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('logs, counts and lists a webhook whose lead cannot be fetched', async () => {
    const page = e2e.fixtures.pages[0];
    const configurationId = e2e.pageConfigurations[page.id];
    const spec: FlowSpec = {
      name: 'Leads',
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
    const flowId = await e2e.enabledFlow(spec);
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: page.id,
          time: 1,
          changes: [{ field: 'leadgen', value: { leadgen_id: '999000111', page_id: page.id } }],
        },
      ],
    });
    const delivered = await fetch(`${e2e.runtime.url}/v1/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signMetaBody(body, e2e.runtime.handle.config.meta.appSecret),
      },
      body,
    });
    expect(delivered.status).toBe(200);

    const failures: Json[] = await waitFor('the failed webhook job to be listed for the flow', async () => {
      const answer = await e2e.api(`/v1/flows/${flowId}/trigger-failures`);
      return answer.status === 200 && answer.body.failures.length > 0 && answer.body.failures;
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ flowId, itemKey: '999000111', job: 'webhook', signal: 'invalid' });
    expect(failures[0].code).toMatch(/^FLOWCARD_ERR_/);

    const health = await e2e.api('/health');
    expect(health.body.triggerFailures.total).toBe(1);
    expect(health.body.triggerFailures.byCode[failures[0].code]).toBe(1);
    const logged = e2e.runtime
      .logs()
      .split('\n')
      .filter((line) => line.includes('trigger job failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('999000111');
    expect(logged[0]).toContain(flowId);
    expect(logged[0]).toContain(failures[0].code);
    // No run was started for an item that could not be read.
    expect(await e2e.runsOf(flowId)).toEqual([]);
  });
});
