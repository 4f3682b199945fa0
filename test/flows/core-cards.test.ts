import type { IncomingMessage } from 'node:http';
import type { FlowSpec } from '@flowcard/schemas';
import { startLocalService, type LocalService } from '../support/local-service';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from './support/wait-for';

/** One request the local service received. */
interface Hit {
  path: string;
  query: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

function flowOf(steps: FlowSpec['steps']): FlowSpec {
  // The trigger is not run here: runs are started with a trigger output directly.
  return {
    name: 'core cards',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps,
  };
}

describe('the built-in cards in flows (real Redis, BullMQ, store, a local HTTP service)', () => {
  let h: FlowHarness;
  let service: LocalService;
  const hits: Hit[] = [];
  const flaky = new Map<string, number>();
  const hitsTo = (path: string): Hit[] => hits.filter((hit) => hit.path === path);

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    service = await startLocalService((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const [path, query = ''] = (req.url ?? '/').split('?');
        hits.push({ path, query, headers: req.headers, body, at: Date.now() });
        const reply = (status: number, json: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': 'local' });
          res.end(JSON.stringify(json));
        };
        if (path.startsWith('/flaky/')) {
          // Answers 503 the first time a path is called, 200 afterwards.
          const seen = flaky.get(path) ?? 0;
          flaky.set(path, seen + 1);
          if (seen === 0) return reply(503, { error: 'warming up' });
          return reply(200, { ok: true, received: body === '' ? null : JSON.parse(body) });
        }
        if (path === '/missing') return reply(404, { error: 'no such thing' });
        if (path === '/secure') {
          const ok = req.headers.authorization === 'Bearer s3cr3t-token' || query === 'api_key=k3y-value';
          return reply(ok ? 200 : 401, { ok });
        }
        return reply(200, { path });
      });
    });
    h.configurations.set({
      id: 'cfg_http_bearer',
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'core',
      status: 'active',
      values: { authType: 'bearer' },
      secrets: { token: 's3cr3t-token' },
    });
    h.configurations.set({
      id: 'cfg_http_query',
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'core',
      status: 'active',
      values: { authType: 'apiKeyQuery', apiKeyName: 'api_key' },
      secrets: { apiKey: 'k3y-value' },
    });
    h.runner.createWorker({ concurrency: 2 });
  });

  afterAll(async () => {
    await h?.close();
    await service?.close();
  });

  const runOf = async (runId: string): Promise<string | undefined> => (await h.history.getRun(runId))?.status;
  const finished = async (runId: string): Promise<string> => {
    let status: string | undefined;
    await waitFor(`run ${runId} to finish`, async () => {
      status = await runOf(runId);
      return status === 'succeeded' || status === 'failed' || status === 'filtered';
    });
    return status as string;
  };

  it('retries an HTTP request answered 503, then records status, headers and parsed body', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'call',
          card: 'core/http-request@1',
          input: {
            method: 'POST',
            url: `${service.url}/flaky/a`,
            query: { source: 'flowcard' },
            headers: { 'x-lead': '{{trigger.output.id}}' },
            body: { lead: '{{trigger.output.id}}', n: '{{trigger.output.n}}' },
          },
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { id: 'lead-1', n: 7 });
    expect(await finished(runId)).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => s.status)).toEqual(['retrying', 'succeeded']);
    expect(steps[0].error).toMatchObject({ code: 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE', signal: 'retry' });
    expect(steps[1].output).toMatchObject({
      status: 200,
      headers: expect.objectContaining({ 'x-served-by': 'local' }),
      body: { ok: true, received: { lead: 'lead-1', n: 7 } },
    });
    const calls = hitsTo('/flaky/a');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({
      query: 'source=flowcard',
      headers: expect.objectContaining({ 'x-lead': 'lead-1' }),
    });
  });

  it('fails an HTTP request answered 404 at once, without a retry', async () => {
    const flow = h.flow(
      flowOf([{ id: 'call', card: 'core/http-request@1', input: { url: `${service.url}/missing` } }]),
    );
    const { runId } = await h.runner.startRun(flow, { id: 'lead-2' });
    expect(await finished(runId)).toBe('failed');
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => s.status)).toEqual(['failed']);
    expect(steps[0].error).toMatchObject({ code: 'FLOWCARD_ERR_INVALID_REQUEST', signal: 'invalid' });
    expect(steps[0].error?.message).toContain('HTTP 404');
    expect(hitsTo('/missing')).toHaveLength(1);
  });

  it('sends the credentials of an HTTP configuration (bearer header, API key in the query) and never records them', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'bearer',
          card: 'core/http-request@1',
          configurationId: 'cfg_http_bearer',
          input: { url: `${service.url}/secure` },
        },
        {
          id: 'query',
          card: 'core/http-request@1',
          configurationId: 'cfg_http_query',
          input: { url: `${service.url}/secure` },
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { id: 'lead-3' });
    expect(await finished(runId)).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    expect(steps.map((s) => [s.stepId, s.status, (s.output as { body: unknown }).body])).toEqual([
      ['bearer', 'succeeded', { ok: true }],
      ['query', 'succeeded', { ok: true }],
    ]);
    expect(JSON.stringify(steps)).not.toMatch(/s3cr3t-token|k3y-value/);
  });

  it('ends a run as filtered when the filter does not pass, and goes on when it does', async () => {
    const flow = h.flow(
      flowOf([
        { id: 'onlyFrance', card: 'core/filter@1', input: { condition: 'trigger.output.country = "FR"' } },
        {
          id: 'shape',
          card: 'core/transform@1',
          input: {
            expression:
              '{"who": $uppercase(trigger.output.name), "filtered": steps.onlyFrance.output.passed}',
          },
        },
        { id: 'send', card: 'core/http-request@1', input: { url: `${service.url}/after-filter` } },
      ]),
    );
    const german = await h.runner.startRun(flow, { country: 'DE', name: 'Lena' });
    const french = await h.runner.startRun(flow, { country: 'FR', name: 'Zoé' });
    expect(await finished(german.runId)).toBe('filtered');
    expect(await finished(french.runId)).toBe('succeeded');
    expect((await h.history.listSteps(german.runId)).map((s) => [s.stepId, s.output])).toEqual([
      ['onlyFrance', { passed: false }],
    ]);
    const frenchSteps = await h.history.listSteps(french.runId);
    expect(frenchSteps.map((s) => s.stepId)).toEqual(['onlyFrance', 'shape', 'send']);
    expect(frenchSteps[1].output).toEqual({ who: 'ZOÉ', filtered: true });
    expect(hitsTo('/after-filter')).toHaveLength(1);
  });

  it('holds no worker slot while delaying: more delayed runs than the worker concurrency wait at once, then all go on after the wait', async () => {
    const flow = h.flow(
      flowOf([
        { id: 'wait', card: 'core/delay@1', input: { for: '2s' } },
        { id: 'after', card: 'core/http-request@1', input: { url: `${service.url}/after-delay` } },
      ]),
    );
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => h.runner.startRun(flow, { n })));
    // Concurrency is 2: six steps can only be waiting together if waiting holds no slot.
    await waitFor(
      'six delay steps waiting together',
      async () => (await h.runner.queue.getDelayedCount()) >= 6,
    );
    expect(await h.runner.queue.getActiveCount()).toBe(0);
    for (const { runId } of runs) expect(await finished(runId)).toBe('succeeded');
    for (const { runId } of runs) {
      const steps = await h.history.listSteps(runId);
      expect(steps.map((s) => [s.stepId, s.status])).toEqual([
        ['wait', 'delayed'],
        ['wait', 'succeeded'],
        ['after', 'succeeded'],
      ]);
      const until = Date.parse((steps[1].output as { until: string }).until);
      expect(until - steps[0].startedAt.getTime()).toBeGreaterThanOrEqual(2000);
    }
    const after = hitsTo('/after-delay');
    expect(after).toHaveLength(6);
  });

  it('keeps the wake time across a worker restart: the step resumes at the same instant, once', async () => {
    const flow = h.flow(
      flowOf([
        { id: 'wait', card: 'core/delay@1', input: { for: '3s' } },
        { id: 'after', card: 'core/http-request@1', input: { url: `${service.url}/after-restart` } },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { n: 'restart' });
    await waitFor('the delay to start', async () =>
      (await h.history.listSteps(runId)).some((s) => s.status === 'delayed'),
    );
    const wake = await h.redis.hget(h.state.runKey(runId), 'wake:wait');
    // Every worker of this runner stops; a new one (a restarted process) picks the job up.
    await Promise.all(
      (h.runner as unknown as { workers: Array<{ close(): Promise<void> }> }).workers.map((w) => w.close()),
    );
    h.runner.createWorker({ concurrency: 2 });
    expect(await finished(runId)).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    expect((steps.find((s) => s.status === 'succeeded')?.output as { until: string }).until).toBe(
      new Date(Number(wake)).toISOString(),
    );
    expect(hitsTo('/after-restart')).toHaveLength(1);
    expect(hitsTo('/after-restart')[0].at).toBeGreaterThanOrEqual(Number(wake));
  });
});
