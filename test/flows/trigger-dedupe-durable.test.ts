import { Redis } from 'ioredis';
import {
  TriggerDedupe,
  TriggerRunStarter,
  type FlowDocument,
  type FlowcardStore,
  type RunStarter,
} from '@flowcard/engine';
import { createMongoStore } from '@flowcard/store';
import { redisUrl, uniqueName } from '../support/env';
import { useTestDatabase } from '../support/mongo';

// TriggerDedupe with the durable trigger-state store behind Redis: the record that survives a Redis
// loss must never swallow an item whose run could not be started.
describe('trigger dedupe with the durable store', () => {
  const database = useTestDatabase(__filename);
  const prefix = uniqueName(__filename);
  const redis = new Redis(redisUrl());
  let store: FlowcardStore;

  beforeAll(async () => {
    store = createMongoStore(database().connection);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const dedupe = (keyPrefix: string): TriggerDedupe =>
    new TriggerDedupe({ redis, keyPrefix: `${prefix}:${keyPrefix}`, store: store.triggerState });

  it('still refuses a lead Redis forgot when the durable store recorded it', async () => {
    expect(await dedupe('a').claim('flow1', 'lead-1')).toBe(true);
    // Another key prefix plays a Redis that lost its data.
    expect(await dedupe('flushed').claim('flow1', 'lead-1')).toBe(false);
  });

  it('lets the next report start the run when starting it failed the first time', async () => {
    const flow = { id: 'flow2' } as FlowDocument;
    let attempts = 0;
    // A run starter whose first enqueue fails (fault injection through the RunStarter port).
    const failingOnce: RunStarter = {
      startRun: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('queue unavailable');
        return { runId: 'run-1' } as Awaited<ReturnType<RunStarter['startRun']>>;
      },
    };
    const starter = new TriggerRunStarter(dedupe('b'), failingOnce);
    await expect(starter.start(flow, 'lead-2', { id: 'lead-2' })).rejects.toThrow('queue unavailable');
    expect(await starter.start(flow, 'lead-2', { id: 'lead-2' })).toBe('run-1');
    expect(await starter.start(flow, 'lead-2', { id: 'lead-2' })).toBeNull();
  });
});
