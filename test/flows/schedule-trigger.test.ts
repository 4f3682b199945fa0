import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import type { RunRecord } from '../../packages/engine/src/ports/run-repository';
import { nextFireTimes, ScheduleTriggers } from '../../packages/engine/src/triggers/schedule-trigger';
import { redisUrl } from '../support/env';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from './support/wait-for';

const EVERY_SECOND = '* * * * * *';

describe('schedule triggers (BullMQ job schedulers, real Redis and store)', () => {
  let h: FlowHarness;
  const schedulers: ScheduleTriggers[] = [];
  const connections: Redis[] = [];

  /** A scheduler as a separate process has it: its own Redis connection, queue and worker. */
  function scheduler(): ScheduleTriggers {
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    connections.push(connection);
    const triggers = new ScheduleTriggers({
      connection,
      redis: connection,
      prefix: h.prefix,
      flows: { get: async (id) => (id === flow.id ? flow : null) },
      runner: h.runner,
    });
    schedulers.push(triggers);
    return triggers;
  }

  const spec: FlowSpec = {
    name: 'Every second',
    trigger: { card: 'core/schedule@1', input: { cron: EVERY_SECOND, timezone: 'Europe/Paris' } },
    steps: [{ id: 'stamp', card: 'core/transform@1', input: { expression: 'trigger.output.scheduledAt' } }],
  };
  let flow: ReturnType<FlowHarness['flow']>;

  beforeAll(async () => {
    h = await startFlowHarness({ file: __filename });
    flow = h.flow(spec, 'flow_schedule');
    h.runner.createWorker({ concurrency: 5 });
  });

  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.close()));
    await Promise.all(connections.map((c) => c.quit()));
    await h?.close();
  });

  const runs = async (): Promise<RunRecord[]> =>
    (await h.history.listRuns({ flowId: flow.id, limit: 500 })).filter((run) => run.status === 'succeeded');
  const tickOf = (run: RunRecord): number =>
    Date.parse((run.triggerOutput as { scheduledAt: string }).scheduledAt);

  it('starts exactly one run per tick with two schedulers running, and reports ticks missed while none ran', async () => {
    const [first, second] = [scheduler(), scheduler()];
    // Both "processes" upsert the flow's schedule and consume ticks.
    expect(await first.schedule(flow)).toBe(true);
    expect(await second.schedule(flow)).toBe(true);
    first.startWorker();
    second.startWorker();
    await waitFor('four ticks to run', async () => (await runs()).length >= 4, 30_000);

    // Everything goes down for a while: no scheduler consumes ticks.
    await Promise.all(schedulers.map((s) => s.close()));
    const downAt = Date.now();
    await waitFor('three seconds down', async () => Date.now() - downAt >= 3_000);
    const revived = scheduler();
    revived.startWorker();
    await waitFor(
      'a run reporting missed ticks',
      async () =>
        (await runs()).some((run) => (run.triggerOutput as { missedTicks: number }).missedTicks > 0),
      30_000,
    );
    await revived.unschedule(flow.id);
    await revived.close();

    const all = (await runs()).sort((a, b) => tickOf(a) - tickOf(b));
    const ticks = all.map(tickOf);
    // One run per tick: no tick twice.
    expect(new Set(ticks).size).toBe(ticks.length);
    // Every second between the first and the last tick either ran or was reported missed.
    const missed = all.reduce(
      (sum, run) => sum + (run.triggerOutput as { missedTicks: number }).missedTicks,
      0,
    );
    expect(missed).toBeGreaterThanOrEqual(1);
    expect(ticks.length + missed).toBe((ticks[ticks.length - 1] - ticks[0]) / 1000 + 1);
    expect(await revived.missedTicks(flow.id)).toBe(missed);
    // Each run saw its own tick.
    const steps = await h.history.listSteps(all[0].id);
    expect(steps[0].output).toBe(new Date(ticks[0]).toISOString());
  });

  it('lists the next three fire times in the time zone', () => {
    expect(
      nextFireTimes({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }, 3, new Date('2026-12-04T12:00:00Z')),
    ).toEqual(['2026-12-07T08:00:00.000Z', '2026-12-08T08:00:00.000Z', '2026-12-09T08:00:00.000Z']);
  });
});
