import { Writable } from 'node:stream';
import { startRuntime, type RuntimeHandle } from '@flowcard/runtime';
import { mongoUri, redisUrl } from '../../support/env';

/**
 * Starts a runtime in the worker role only, as a second machine would run it: `env` names the
 * database and Redis prefix it shares with the API (and anything else they must agree on). It logs
 * warnings only, and nowhere.
 */
export function startTestWorker(env: Record<string, string>): Promise<RuntimeHandle> {
  return startRuntime({
    roles: ['worker'],
    banner: false,
    env: {
      PATH: process.env.PATH ?? '',
      MONGODB_URI: mongoUri(),
      REDIS_URL: redisUrl(),
      LOG_LEVEL: 'warn',
      ...env,
    },
    logDestination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  });
}
