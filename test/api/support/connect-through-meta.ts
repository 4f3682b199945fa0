import { call, type TestRuntime } from './start-test-runtime';

/**
 * Connects Meta as a user would: starts Connect Meta for `connector`, follows the emulator's
 * dialog back to the runtime's callback, and expects the configurations to be saved.
 */
export async function connectThroughMeta(
  runtime: TestRuntime,
  apiKey: string,
  connector = 'facebook-pages',
): Promise<void> {
  const started = await call(`${runtime.url}/v1/connect/meta/start`, {
    method: 'POST',
    apiKey,
    body: { connector },
  });
  const back = (await fetch(started.body.url, { redirect: 'manual' })).headers.get('location')!;
  const connected = await fetch(back, {
    headers: { accept: 'application/json', 'x-flowcard-connect-session': started.body.sessionId },
  });
  expect(connected.status).toBe(200);
}
