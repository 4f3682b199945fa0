import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CardExecutor } from '../executor/card-executor';
import { ConnectorRegistry } from '../registry/connector-registry';
import { SunsetAwareStepExecutor } from './sunset-aware-step-executor';

// Workplace from Meta is sunset with sunsetAt 2026-06-01 in its own manifest: gone after, not before.
const AFTER_SUNSET = new Date('2026-07-01T00:00:00Z');
const BEFORE_SUNSET = new Date('2026-05-01T00:00:00Z');

const registry = new ConnectorRegistry();
let server: Server;
let serviceUrl: string;
/** What the stand-in Graph API answers next: a status and a body. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  await registry.loadFrom({ directories: [join(__dirname, '..', '..', '..', '..', 'connectors')] });
  server = createServer((_request, response) => {
    response.statusCode = answer.status;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function getCommunity(at: Date, baseUrl = serviceUrl): Promise<unknown> {
  const executor = new SunsetAwareStepExecutor(new CardExecutor(), registry, () => at);
  return executor.execute({
    card: registry.requireCard('workplace/get-community@1'),
    configuration: {
      values: { graphBaseUrl: baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: 't' },
    },
    input: {},
  });
}

const sunsetMessage = expect.stringMatching(
  /^workplace@1 is sunset: Workplace from Meta went read-only on 2025-09-01/,
);

describe('a step of a sunset connector whose service is gone', () => {
  it.each([500, 503, 404, 410])(
    'fails with the lifecycle message when the service answers HTTP %i',
    async (status) => {
      answer = { status, body: { message: 'nothing here' } };
      await expect(getCommunity(AFTER_SUNSET)).rejects.toMatchObject({
        name: 'FlowcardError',
        code: 'FLOWCARD_ERR_CONNECTOR_SUNSET',
        category: 'invalid',
        message: sunsetMessage,
      });
    },
  );

  it('fails with the lifecycle message when nothing answers any more', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(getCommunity(AFTER_SUNSET, `http://127.0.0.1:${port}`)).rejects.toMatchObject({
      code: 'FLOWCARD_ERR_CONNECTOR_SUNSET',
      message: sunsetMessage,
    });
  });

  it('is not blocked when a compatible endpoint still answers', async () => {
    answer = { status: 200, body: { id: '1', name: 'Bakery' } };
    await expect(getCommunity(AFTER_SUNSET)).resolves.toMatchObject({ output: { id: '1', name: 'Bakery' } });
  });

  it.each([
    [400, 'FLOWCARD_ERR_INVALID_REQUEST'],
    [401, 'FLOWCARD_ERR_AUTH_INVALID_TOKEN'],
    [403, 'FLOWCARD_ERR_PERMISSION_MISSING'],
  ])(
    'keeps its own error when the service answers HTTP %i, which says something else',
    async (status, code) => {
      answer = { status, body: { message: 'no' } };
      await expect(getCommunity(AFTER_SUNSET)).rejects.toMatchObject({ name: 'CardError', code });
    },
  );

  it('keeps the network error before the sunset date', async () => {
    answer = { status: 503, body: { message: 'down for maintenance' } };
    await expect(getCommunity(BEFORE_SUNSET)).rejects.toMatchObject({
      name: 'CardError',
      code: 'FLOWCARD_ERR_UPSTREAM_UNAVAILABLE',
    });
  });
});
