import { Redis } from 'ioredis';
import { redisUrl, uniqueName } from '../../../../test/support/env';
import { MetaRateLimiter } from './meta-rate-limiter';

describe('MetaRateLimiter', () => {
  const prefix = uniqueName(__filename);
  const first = new Redis(redisUrl(), { lazyConnect: false });
  const second = new Redis(redisUrl(), { lazyConnect: false });
  const options = {
    keyPrefix: prefix,
    app: { points: 100, durationSec: 60 },
    object: { points: 3, durationSec: 60 },
  };
  // Two instances on two connections: what two workers on two machines would have.
  const workerA = new MetaRateLimiter({ ...options, redis: first });
  const workerB = new MetaRateLimiter({ ...options, redis: second });

  afterAll(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length > 0) await first.del(...keys);
    await Promise.all([first.quit(), second.quit()]);
  });

  it('shares one page budget between workers on separate connections', async () => {
    const keys = { app: 'app1', objects: ['page-shared'] };
    expect(await workerA.acquire(keys)).toEqual({ ok: true });
    expect(await workerB.acquire(keys)).toEqual({ ok: true });
    expect(await workerA.acquire(keys)).toEqual({ ok: true });
    const refused = await workerB.acquire(keys);
    expect(refused).toMatchObject({ ok: false, key: 'object:page-shared' });
    expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(0);
  });

  it('keeps other pages going when one page is exhausted', async () => {
    await workerA.penalize({ objects: ['page-busy'] }, 30_000);
    expect(await workerB.acquire({ app: 'app2', objects: ['page-busy'] })).toMatchObject({
      ok: false,
      key: 'object:page-busy',
    });
    expect(await workerB.acquire({ app: 'app2', objects: ['page-free'] })).toEqual({ ok: true });
  });

  it('gives the app point back when the page refuses the call', async () => {
    const limiter = new MetaRateLimiter({
      keyPrefix: `${prefix}:refund`,
      redis: first,
      app: { points: 1, durationSec: 60 },
      object: { points: 1, durationSec: 60 },
    });
    await limiter.penalize({ objects: ['p'] }, 10_000);
    expect((await limiter.acquire({ app: 'a', objects: ['p'] })).ok).toBe(false);
    // The app budget of 1 is still untouched, so a call to another page goes through.
    expect(await limiter.acquire({ app: 'a', objects: ['q'] })).toEqual({ ok: true });
  });

  it('blocks a page until Meta says access is regained when its business use case usage reaches the threshold', async () => {
    await workerA.observe({
      businessUseCase: {
        'page-hot': [
          {
            type: 'pages',
            call_count: 97,
            total_time: 20,
            total_cputime: 20,
            estimated_time_to_regain_access: 5,
          },
        ],
      },
    });
    const refused = await workerB.acquire({ objects: ['page-hot'] });
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(4 * 60_000);
    expect(await workerB.blockedForMs('object', 'page-hot')).toBeGreaterThan(4 * 60_000);
  });

  it('backs off a page at 90 percent even when Meta announces no wait yet', async () => {
    await workerA.observe({
      businessUseCase: {
        'page-warm': [{ type: 'pages', call_count: 91, estimated_time_to_regain_access: 0 }],
      },
    });
    expect((await workerB.acquire({ objects: ['page-warm'] })).ok).toBe(false);
  });

  it('leaves a page alone while its usage is below the threshold', async () => {
    await workerA.observe({
      businessUseCase: { 'page-cool': [{ type: 'pages', call_count: 40, total_time: 10 }] },
    });
    expect(await workerB.acquire({ objects: ['page-cool'] })).toEqual({ ok: true });
  });

  it('blocks the app when X-App-Usage approaches 100', async () => {
    await workerA.observe({ app: { call_count: 10, total_time: 95, total_cputime: 10 } }, 'app-hot');
    expect(await workerB.acquire({ app: 'app-hot', objects: ['any-page'] })).toMatchObject({
      ok: false,
      key: 'app:app-hot',
    });
  });

  it('never shortens a longer block set by another worker', async () => {
    await workerA.penalize({ objects: ['page-long'] }, 120_000);
    await workerB.penalize({ objects: ['page-long'] }, 2_000);
    expect(await workerA.blockedForMs('object', 'page-long')).toBeGreaterThan(60_000);
  });
});
