import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardExecutor } from '../../packages/engine/src/executor/card-executor';
import { testCard } from '../../packages/engine/src/executor/testing/test-card';
import { ConnectorHttpClient } from '../../packages/engine/src/http/connector-http-client';
import { resolveSdkForBundlesIn } from '../../packages/engine/src/publishing/sdk-resolution';
import { HandlerSandbox } from '../../packages/engine/src/sandbox/handler-sandbox';
import { DEFAULT_SANDBOX_PROCESSES } from '../../packages/engine/src/sandbox/sandbox-limits';

const CONCURRENCY = 16;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2000);
const WARMUP_MS = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** A handler card as connectors write them: one authenticated call through ctx.http, a little shaping. */
const HANDLER = `
import { defineHandler } from '@flowcard/sdk';
export default defineHandler(async (ctx, input: { pageId: string }) => {
  const page = await ctx.http.request<{ id: string; name: string }>({
    method: 'GET', path: '/' + input.pageId, query: { fields: 'id,name' },
  });
  ctx.logger.debug('page read', { id: page.data.id });
  return { id: page.data.id, title: page.data.name.toUpperCase(), readAt: ctx.clock.now().toISOString() };
});
`;

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
 * The same handler card run in-process and in the handler sandbox (a pool of permission-restricted
 * processes: docs/decisions/0006), against the same local server, in one run. Each sandboxed call
 * costs two IPC round trips more (the call and its ctx.http call relayed to the host).
 */
export default async function sandboxBench(): Promise<void> {
  const body = JSON.stringify({ id: '101', name: 'Bench Page' });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'flowcard-sandbox-bench-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'get-page.ts'), HANDLER);
  // In-process, the handler imports @flowcard/sdk the way a published bundle's handler does.
  resolveSdkForBundlesIn(dir);
  const card = testCard(
    {
      key: 'get-page',
      handler: 'handlers/get-page.ts',
      input: { type: 'object', required: ['pageId'], properties: { pageId: { type: 'string' } } },
      output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
    {},
    dir,
  );
  const configuration = { id: 'bench', values: { baseUrl }, secrets: { accessToken: 'EAAbenchtoken' } };
  const input = { pageId: '101' };
  const httpClient = new ConnectorHttpClient({ maxSockets: CONCURRENCY });
  const sandbox = new HandlerSandbox();
  const inProcess = new CardExecutor({ httpClient });
  const sandboxed = new CardExecutor({ httpClient, sandbox });

  try {
    // Alternating rounds: on a shared machine the load changes between measurements, and the
    // median of per-round ratios is steadier than one long measurement of each.
    const run = (executor: CardExecutor) => () => executor.execute({ card, configuration, input });
    await measure(run(inProcess), WARMUP_MS);
    await measure(run(sandboxed), WARMUP_MS);
    const rounds: Array<{ inProcess: number; sandbox: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const inProcessRate = await measure(run(inProcess));
      const sandboxRate = await measure(run(sandboxed));
      rounds.push({ inProcess: inProcessRate, sandbox: sandboxRate });
    }
    const median = (values: number[]): number =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    process.stdout.write(
      `concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${DURATION_MS} ms, ${DEFAULT_SANDBOX_PROCESSES} sandbox processes\n`,
    );
    for (const [index, round] of rounds.entries()) {
      process.stdout.write(
        `round ${index + 1}: in-process ${Math.round(round.inProcess)} calls/s, sandbox ${Math.round(round.sandbox)} calls/s, ratio ${(round.sandbox / round.inProcess).toFixed(2)}\n`,
      );
    }
    process.stdout.write(
      `handler card in-process (median): ${Math.round(median(rounds.map((r) => r.inProcess)))} calls/s\n`,
    );
    process.stdout.write(
      `handler card in the sandbox (median): ${Math.round(median(rounds.map((r) => r.sandbox)))} calls/s\n`,
    );
    process.stdout.write(
      `sandbox/in-process ratio (median of rounds): ${median(rounds.map((r) => r.sandbox / r.inProcess)).toFixed(2)} (aim ≥ 0.70)\n`,
    );
  } finally {
    await sandbox.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
