import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { CardExecutor } from '../../packages/engine/src/executor/card-executor';
import { ConnectorHttpClient } from '../../packages/engine/src/http/connector-http-client';
import { createAxiosInstance } from '../../packages/engine/src/http/create-axios-instance';
import { testCard } from '../../packages/engine/src/executor/testing/test-card';

const CONCURRENCY = 64;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const WARMUP_MS = 500;

/** Runs `call` from CONCURRENCY loops for the duration; returns completed calls per second. */
async function measure(call: () => Promise<unknown>, durationMs = DURATION_MS): Promise<number> {
  const end = Date.now() + durationMs;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await call();
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

/**
 * Executor throughput through axios (keep-alive tuned) against a raw undici Pool loop on the same
 * local server with the same concurrency, plus axios without keep-alive to show what tuning buys.
 */
export default async function executorBench(): Promise<void> {
  const body = JSON.stringify({ id: '101', name: 'Bench Page' });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const card = testCard({
    key: 'get-page',
    input: { type: 'object', required: ['pageId'], properties: { pageId: { type: 'string' } } },
    output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    request: { method: 'GET', path: '/{{input.pageId}}', query: { fields: 'id,name' } },
  });
  const configuration = { id: 'bench', values: { baseUrl }, secrets: { accessToken: 'EAAbenchtoken' } };
  const input = { pageId: '101' };

  const pool = new Pool(baseUrl, { connections: CONCURRENCY, pipelining: 1 });
  const undiciCall = async (): Promise<unknown> => {
    const res = await pool.request({
      method: 'GET',
      path: '/101?fields=id,name',
      headers: { authorization: 'Bearer EAAbenchtoken' },
    });
    return res.body.json();
  };
  const tuned = new CardExecutor({ httpClient: new ConnectorHttpClient({ maxSockets: CONCURRENCY }) });
  const untuned = new CardExecutor({
    httpClient: new ConnectorHttpClient({
      axios: createAxiosInstance({ keepAlive: false, maxSockets: CONCURRENCY }),
    }),
  });

  try {
    await measure(undiciCall, WARMUP_MS);
    const undiciRate = await measure(undiciCall);
    await measure(() => tuned.execute({ card, configuration, input }), WARMUP_MS);
    const executorRate = await measure(() => tuned.execute({ card, configuration, input }));
    const noKeepAliveRate = await measure(() => untuned.execute({ card, configuration, input }));

    process.stdout.write(`concurrency ${CONCURRENCY}, ${DURATION_MS} ms per measurement\n`);
    process.stdout.write(`undici raw: ${Math.round(undiciRate)} req/s\n`);
    process.stdout.write(`executor (axios, keep-alive): ${Math.round(executorRate)} req/s\n`);
    process.stdout.write(`executor/undici ratio: ${(executorRate / undiciRate).toFixed(2)}\n`);
    process.stdout.write(
      `executor (axios, no keep-alive): ${Math.round(noKeepAliveRate)} req/s — keep-alive is ${(executorRate / noKeepAliveRate).toFixed(2)}x faster\n`,
    );
  } finally {
    await pool.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
