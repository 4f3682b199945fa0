import { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { mongoUri, redisUrl, uniqueName } from '../../../test/support/env';
import { defineService } from '../services/runtime-service';
import { heartbeatService } from '../services/heartbeat-service';
import { startRuntime } from './start-runtime';

describe('startRuntime', () => {
  const env = (prefix: string): Record<string, string> => ({
    MONGODB_URI: mongoUri(),
    FLOWCARD_MONGODB_DATABASE: prefix,
    REDIS_URL: redisUrl(),
    FLOWCARD_REDIS_PREFIX: prefix,
    META_APP_ID: 'app',
    META_APP_SECRET: 'secret',
    LOG_LEVEL: 'silent',
    PORT: '0',
  });

  it('runs a worker without the API: services of its role start, and stop in reverse order', async () => {
    const prefix = uniqueName(__filename);
    const events: string[] = [];
    const recorder = (name: string, roles: Array<'worker' | 'scheduler'>) =>
      defineService({
        name,
        roles,
        dependencies: {},
        create: () => ({
          start: async () => void events.push(`start ${name}`),
          stop: async () => void events.push(`stop ${name}`),
        }),
      });
    const handle = await startRuntime({
      roles: ['worker'],
      env: env(prefix),
      banner: false,
      services: [
        heartbeatService,
        recorder('flows', ['worker']),
        recorder('lifecycle', ['scheduler']),
        recorder('polling', ['worker', 'scheduler']),
      ],
    });
    const redis = new Redis(redisUrl());
    try {
      expect(handle.http).toBeUndefined();
      expect(handle.services).toEqual(['heartbeat', 'flows', 'polling']);
      expect(await redis.exists(`${prefix}:processes:${hostname()}:${process.pid}`)).toBe(1);
      await handle.stop();
      expect(events).toEqual(['start flows', 'start polling', 'stop polling', 'stop flows']);
      expect(await redis.exists(`${prefix}:processes:${hostname()}:${process.pid}`)).toBe(0);
    } finally {
      redis.disconnect();
      await handle.stop();
    }
  });

  it('stops what it started when a service fails to start, and says why', async () => {
    const failing = defineService({
      name: 'broken',
      roles: ['scheduler'],
      dependencies: {},
      create: () => ({
        start: async () => {
          throw new Error('cannot reach the queue');
        },
        stop: async () => undefined,
      }),
    });
    await expect(
      startRuntime({
        roles: ['scheduler'],
        env: env(uniqueName(__filename)),
        banner: false,
        services: [failing],
      }),
    ).rejects.toThrow('cannot reach the queue');
  });

  it('refuses to start with an invalid configuration, naming the variable', async () => {
    await expect(startRuntime({ env: { ...env('x'), PORT: '99999' }, banner: false })).rejects.toThrow(
      'PORT must be a port number between 0 and 65535, got "99999"',
    );
  });
});
