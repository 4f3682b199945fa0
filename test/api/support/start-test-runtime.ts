import { Writable } from 'node:stream';
import { startRuntime, type RuntimeHandle, type StartRuntimeOptions } from '@flowcard/runtime';
import { mongoUri, redisUrl, uniqueName } from '../../support/env';

export interface TestRuntime {
  readonly handle: RuntimeHandle;
  readonly url: string;
  /** Every log line written so far (JSON), for assertions about what was logged. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts a real runtime (API only unless told otherwise) on a free port, with a database and Redis
 * prefix of its own, the Meta emulator in-process, and logs captured in memory.
 */
export async function startTestRuntime(
  file: string,
  options: Omit<StartRuntimeOptions, 'env' | 'logDestination'> & { env?: Record<string, string> } = {},
): Promise<TestRuntime> {
  let captured = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      captured += chunk.toString();
      callback();
    },
  });
  const name = uniqueName(file);
  const handle = await startRuntime({
    roles: ['api'],
    banner: false,
    ...options,
    env: {
      PATH: process.env.PATH ?? '',
      MONGODB_URI: mongoUri(),
      FLOWCARD_MONGODB_DATABASE: name,
      REDIS_URL: redisUrl(),
      FLOWCARD_REDIS_PREFIX: name,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    logDestination: destination,
  });
  if (!handle.http) throw new Error('the test runtime has no API');
  return { handle, url: handle.http.url, logs: () => captured, stop: () => handle.stop() };
}

/** fetch + JSON body, for terse tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type AnswerBody = any;

export async function call(
  url: string,
  init: { method?: string; apiKey?: string; header?: 'bearer' | 'x-api-key'; body?: unknown } = {},
): Promise<{ status: number; body: AnswerBody }> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.apiKey) {
    if (init.header === 'x-api-key') headers['x-api-key'] = init.apiKey;
    else headers.authorization = `Bearer ${init.apiKey}`;
  }
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
