import { Redis } from 'ioredis';
import { redisUrl, uniqueName } from '../../../../test/support/env';
import { TriggerDedupe } from './trigger-dedupe';

describe('TriggerDedupe', () => {
  const prefix = uniqueName(__filename);
  const redisA = new Redis(redisUrl());
  const redisB = new Redis(redisUrl());

  afterAll(async () => {
    const keys = await redisA.keys(`${prefix}*`);
    if (keys.length > 0) await redisA.del(...keys);
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  it('lets exactly one of many concurrent reports of a lead start a run', async () => {
    const a = new TriggerDedupe({ redis: redisA, keyPrefix: prefix });
    const b = new TriggerDedupe({ redis: redisB, keyPrefix: prefix });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim('flow1', 'lead-1')),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('dedupes per flow: the same lead starts one run in each flow', async () => {
    const dedupe = new TriggerDedupe({ redis: redisA, keyPrefix: prefix });
    expect(await dedupe.claim('flowA', 'lead-2')).toBe(true);
    expect(await dedupe.claim('flowB', 'lead-2')).toBe(true);
    expect(await dedupe.claim('flowA', 'lead-2')).toBe(false);
  });

  it('lets a released claim be taken again', async () => {
    const dedupe = new TriggerDedupe({ redis: redisA, keyPrefix: prefix });
    expect(await dedupe.claim('flow1', 'lead-3')).toBe(true);
    await dedupe.release('flow1', 'lead-3');
    expect(await dedupe.claim('flow1', 'lead-3')).toBe(true);
  });
  // With the durable store: test/flows/trigger-dedupe-durable.test.ts (needs the real Mongo store).
});
