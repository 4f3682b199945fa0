import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('keeps an append-only file in the data directory when given one, so a restart keeps live runs and jobs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-data-'));
    const started = await startRedisServer(10_000, dataDir);
    const client = new Redis(started.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
      await client.set('kept', '1');
    } finally {
      client.disconnect();
      await started.stop();
    }
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    expect(readdirSync(join(dataDir, 'redis')).length).toBeGreaterThan(0);
    const again = await startRedisServer(10_000, dataDir);
    const reader = new Redis(again.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await reader.connect();
      expect(await reader.get('kept')).toBe('1');
    } finally {
      reader.disconnect();
      await again.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
