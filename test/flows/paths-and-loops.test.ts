import type { FlowSpec } from '@flowcard/schemas';
import { startLocalService, type LocalService } from '../support/local-service';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from './support/wait-for';

function flowOf(steps: FlowSpec['steps']): FlowSpec {
  // The trigger is not run here: runs are started with a trigger output directly.
  return {
    name: 'paths and loops',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps,
  };
}

const post = (id: string, path: string, body: Record<string, unknown> = {}): FlowSpec['steps'][number] => ({
  id,
  card: 'core/http-request@1',
  input: { method: 'POST', url: `{{trigger.output.service}}${path}`, body },
});

describe('paths and forEach steps (real Redis, BullMQ, store, a local HTTP service)', () => {
  let h: FlowHarness;
  let service: LocalService;
  /** Bodies received, by path. */
  const received = new Map<string, unknown[]>();
  let active = 0;
  let maxActive = 0;
  /** Item numbers answered 404 once (then 200), to fail one item of a loop. */
  const failOnce = new Set<number>();

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    service = await startLocalService((req, res) => {
      let body = '';
      active += 1;
      maxActive = Math.max(maxActive, active);
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = body === '' ? null : (JSON.parse(body) as { n?: number });
        const path = req.url ?? '/';
        received.set(path, [...(received.get(path) ?? []), parsed]);
        // Answers a little later, so that items overlap and the concurrency bound is exercised.
        setTimeout(() => {
          active -= 1;
          if (path === '/items' && typeof parsed?.n === 'number' && failOnce.delete(parsed.n)) {
            res.writeHead(404, { 'content-type': 'application/json' });
            res.end('{"error":"not yet"}');
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ got: parsed }));
        }, 5);
      });
    });
    h.runner.createWorker({ concurrency: 10 });
  });

  afterAll(async () => {
    await h?.close();
    await service?.close();
  });

  const finished = async (runId: string): Promise<string> => {
    let status: string | undefined;
    await waitFor(`run ${runId} to finish`, async () => {
      status = (await h.history.getRun(runId))?.status;
      return status === 'succeeded' || status === 'failed' || status === 'filtered';
    });
    return status as string;
  };
  const stepsOf = async (runId: string): Promise<Array<[string, string]>> =>
    (await h.history.listSteps(runId)).map((s) => [s.stepId, s.status]);

  it('takes the first matching branch, or otherwise, and goes on after the paths step', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'route',
          type: 'paths',
          branches: [
            { name: 'vip', condition: 'trigger.output.budget > 1000', steps: [post('vip', '/vip')] },
            { name: 'big', condition: 'trigger.output.budget > 100', steps: [post('big', '/big')] },
          ],
          otherwise: [post('small', '/small', { budget: '{{trigger.output.budget}}' })],
        },
        post('after', '/after', { route: '{{steps.route.output.branches}}' }),
      ]),
    );
    const vip = await h.runner.startRun(flow, { service: service.url, budget: 5000 });
    const small = await h.runner.startRun(flow, { service: service.url, budget: 10 });
    expect(await finished(vip.runId)).toBe('succeeded');
    expect(await finished(small.runId)).toBe('succeeded');
    expect(await stepsOf(vip.runId)).toEqual([
      ['route', 'succeeded'],
      ['vip', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    expect((await h.history.listSteps(vip.runId))[0].output).toEqual({ branches: ['vip'], otherwise: false });
    expect(await stepsOf(small.runId)).toEqual([
      ['route', 'succeeded'],
      ['small', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    expect((await h.history.listSteps(small.runId))[0].output).toEqual({ branches: [], otherwise: true });
    expect(received.get('/big')).toBeUndefined();
    expect(received.get('/small')).toEqual([{ budget: 10 }]);
    expect(received.get('/after')).toEqual(expect.arrayContaining([{ route: ['vip'] }, { route: [] }]));
  });

  it('in every-match mode runs each matching branch in order', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'fanout',
          type: 'paths',
          mode: 'every',
          branches: [
            { name: 'crm', condition: 'trigger.output.crm', steps: [post('toCrm', '/crm')] },
            { name: 'mail', condition: 'trigger.output.mail', steps: [post('toMail', '/mail')] },
            { name: 'chat', condition: 'trigger.output.chat', steps: [post('toChat', '/chat')] },
          ],
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { service: service.url, crm: true, chat: true });
    expect(await finished(runId)).toBe('succeeded');
    expect(await stepsOf(runId)).toEqual([
      ['fanout', 'succeeded'],
      ['toCrm', 'succeeded'],
      ['toChat', 'succeeded'],
    ]);
  });

  it('runs a forEach over 100 items, 5 at a time, and outputs the 100 per-item outputs in order', async () => {
    maxActive = 0;
    const items = Array.from({ length: 100 }, (_, n) => ({ n }));
    const flow = h.flow(
      flowOf([
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          concurrency: 5,
          steps: [
            post('send', '/items', { n: '{{item.n}}', index: '{{index}}' }),
            {
              id: 'shape',
              card: 'core/transform@1',
              input: { expression: '{"n": item.n, "echo": steps.send.output.body.got.n}' },
            },
          ],
        },
        {
          id: 'total',
          card: 'core/transform@1',
          input: { expression: '{"count": $count(steps.each.output), "sum": $sum(steps.each.output.echo)}' },
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { service: service.url, items });
    expect(await finished(runId)).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    const loop = steps.find((s) => s.stepId === 'each');
    expect(loop?.output).toEqual(items.map(({ n }) => ({ n, echo: n })));
    expect(steps.find((s) => s.stepId === 'total')?.output).toEqual({ count: 100, sum: 4950 });
    // Each item's steps are on the run's record, at their item's address.
    expect(steps.filter((s) => s.stepId.startsWith('send@each.')).map((s) => s.status)).toEqual(
      Array(100).fill('succeeded'),
    );
    expect(steps.some((s) => s.stepId === 'shape@each.42')).toBe(true);
    expect((received.get('/items') ?? []).length).toBe(100);
    expect(maxActive).toBeLessThanOrEqual(5);
  });

  it('fails a forEach over more items than its maximum, saying so', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          maxItems: 3,
          steps: [post('x', '/never')],
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { service: service.url, items: [1, 2, 3, 4] });
    expect(await finished(runId)).toBe('failed');
    expect((await h.history.getRun(runId))?.error?.message).toBe(
      'forEach step each got 4 items; it accepts at most 3 (raise maxItems, up to 10000, or narrow the list)',
    );
    expect(received.get('/never')).toBeUndefined();
  });

  it('re-runs a failed loop from the failed item only, keeping the items that succeeded', async () => {
    received.delete('/items');
    failOnce.add(7);
    const items = Array.from({ length: 12 }, (_, n) => ({ n }));
    const flow = h.flow(
      flowOf([
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          concurrency: 3,
          steps: [post('send', '/items', { n: '{{item.n}}' })],
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { service: service.url, items });
    expect(await finished(runId)).toBe('failed');
    expect((await h.history.getRun(runId))?.currentStepId).toBe('send@each.7');
    // Let in-flight items settle before re-running (they stop at the failed run).
    await waitFor('the queue to drain', async () => (await h.runner.queue.getActiveCount()) === 0);
    await h.runner.rerunFromFailed(runId);
    expect(await finished(runId)).toBe('succeeded');
    const steps = await h.history.listSteps(runId);
    const loop = steps.find((s) => s.stepId === 'each');
    expect((loop?.output as Array<{ body: { got: { n: number } } }>).map((o) => o.body.got.n)).toEqual(
      items.map(({ n }) => n),
    );
    const sendRecords = steps.filter((s) => s.stepId.startsWith('send@each.'));
    const succeeded = sendRecords.filter((s) => s.status === 'succeeded').map((s) => s.stepId);
    // Every item succeeded exactly once; item 7 failed once before.
    expect(succeeded.sort()).toEqual(items.map(({ n }) => `send@each.${n}`).sort());
    expect(sendRecords.filter((s) => s.status === 'failed').map((s) => s.stepId)).toEqual(['send@each.7']);
    // Items that succeeded before the re-run were not called again.
    const calls = (received.get('/items') ?? []).map((b) => (b as { n: number }).n);
    expect(calls.filter((n) => n === 0)).toHaveLength(1);
    expect(calls.filter((n) => n === 7)).toHaveLength(2);
  });

  it('ends only the loop item, not the run, when a filter inside the loop does not pass', async () => {
    const flow = h.flow(
      flowOf([
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          concurrency: 2,
          steps: [
            { id: 'even', card: 'core/filter@1', input: { condition: 'item % 2 = 0' } },
            { id: 'double', card: 'core/transform@1', input: { expression: 'item * 2' } },
          ],
        },
      ]),
    );
    const { runId } = await h.runner.startRun(flow, { items: [1, 2, 3, 4] });
    expect(await finished(runId)).toBe('succeeded');
    const loop = (await h.history.listSteps(runId)).find((s) => s.stepId === 'each');
    expect(loop?.output).toEqual([null, 4, null, 8]);
  });
});
