import { Redis } from 'ioredis';
import { resolveRedis, startRedisServer } from './embedded-redis';

describe('the embedded Redis', () => {
  it('uses REDIS_URL as given without starting anything', async () => {
    const redis = await resolveRedis('redis://example.invalid:6380');
    expect(redis).toMatchObject({ url: 'redis://example.invalid:6380', source: 'external' });
  });

  it('starts an in-memory redis-server on a free port and stops it', async () => {
    const started = await startRedisServer();
    const client = new Redis(started.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      client.disconnect();
      await started.stop();
    }
    expect(() => process.kill(started.pid!, 0)).toThrow();
  });
});
