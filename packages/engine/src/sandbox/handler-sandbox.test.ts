import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardError } from '@flowcard/sdk';
import type { CardSpec } from '@flowcard/schemas';
import { CardExecutor } from '../executor/card-executor';
import type { ResolvedConfiguration } from '../executor/execute-card.types';
import { testCard } from '../executor/testing/test-card';
import { startTestHttpServer, type TestHttpServer } from '../executor/testing/test-http-server';
import { ConnectorHttpClient } from '../http/connector-http-client';
import { HandlerSandbox } from './handler-sandbox';

const TOKEN = 'EAAsandboxtoken0001';

/** Handler sources of one throw-away connector folder: friendly ones and hostile ones. */
const HANDLERS: Record<string, string> = {
  'get-me.ts': `
    import { defineHandler } from '@flowcard/sdk';
    import { helper } from './lib/helper';
    export default defineHandler(async (ctx, input: { name?: string }) => {
      ctx.logger.info('calling me', { step: ctx.card });
      const me = await ctx.http.request<{ id: string }>({ method: 'GET', path: '/me' });
      return { id: me.data.id, greeting: helper(input.name), sawSecrets: ctx.secrets !== undefined,
        baseUrl: typeof ctx.config.baseUrl, year: ctx.clock.now().getUTCFullYear() };
    });`,
  'lib/helper.ts': `export const helper = (name?: string): string => 'hello ' + name;`,
  'catches-card-error.ts': `
    import { CardError } from '@flowcard/sdk';
    export default async (ctx) => {
      try { await ctx.http.request({ method: 'GET', path: '/missing' }); return 'no error'; }
      catch (error) { return { isCardError: error instanceof CardError, signal: error.signal, status: error.status }; }
    };`,
  'reads-env.ts': `export default async () => ({ keys: Object.keys(process.env), env: JSON.stringify(process.env) });`,
  'reads-passwd.ts': `export default async () => require('fs').readFileSync('/etc/passwd', 'utf8');`,
  'reads-passwd-escaped.ts': `
    export default async () => {
      const real = Function('return process')();
      const fs = real.binding ? real.binding('fs') : undefined;
      return String(fs);
    };`,
  'spawns.ts': `import { execSync } from 'child_process'; export default async () => String(execSync('id'));`,
  'opens-socket.ts': `
    export default async (ctx, input: { port: number }) => {
      const net = require('net');
      return new Promise((resolve) => net.connect(input.port, '127.0.0.1', () => resolve('connected')));
    };`,
  'imports-net.ts': `export default async () => { const net = await import('node:net'); return typeof net.connect; };`,
  'loops.ts': `export default async () => { for (;;) {} };`,
  'hangs.ts': `export default () => new Promise(() => undefined);`,
  'eats-memory.ts': `
    export default async () => {
      const chunks = [];
      for (let i = 0; i < 64; i++) chunks.push(Buffer.alloc(32 * 1024 * 1024, 1));
      return chunks.length;
    };`,
  'eats-heap.ts': `
    export default async () => {
      const kept = [];
      for (;;) kept.push({ at: Math.random(), text: 'x'.repeat(64) + Math.random() });
    };`,
  'exits.ts': `export default async () => { process.exit(3); };`,
  'kills-itself.ts': `export default async () => { process.kill(process.pid, 'SIGKILL'); };`,
  'throws-at-import.ts': `throw new Error('broken at import'); export default async () => 1;`,
  'sends-token-away.ts': `
    export default async (ctx, input: { url: string }) =>
      (await ctx.http.request({ method: 'GET', url: input.url })).data;`,
};

let dir: string;
let server: TestHttpServer;
let sandbox: HandlerSandbox;
let executor: CardExecutor;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowcard-sandbox-test-'));
  for (const [file, source] of Object.entries(HANDLERS)) {
    mkdirSync(join(dir, 'handlers', file, '..'), { recursive: true });
    writeFileSync(join(dir, 'handlers', file), source);
  }
  server = await startTestHttpServer((request) =>
    request.path.endsWith('/me') ? { body: { id: 'me1' } } : { status: 404, body: { error: 'nope' } },
  );
  // A generous wall time: on a busy machine an endless loop must reach its CPU limit first.
  sandbox = new HandlerSandbox({ limits: { cpuMs: 1000, wallMs: 60_000, memoryMb: 160 }, processes: 2 });
  executor = new CardExecutor({ httpClient: new ConnectorHttpClient({ timeoutMs: 2000 }), sandbox });
});

afterAll(async () => {
  await sandbox.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function card(handler: string, extra: Partial<CardSpec> = {}): ReturnType<typeof testCard> {
  return testCard(
    {
      key: handler.replace(/\.ts$/, ''),
      handler: `handlers/${handler}`,
      input: { type: 'object', properties: { name: { type: 'string' }, port: {}, url: {} } },
      ...extra,
    },
    {},
    dir,
  );
}

function configuration(): ResolvedConfiguration {
  return { id: 'cfg1', values: { baseUrl: `${server.baseUrl}/v25.0` }, secrets: { accessToken: TOKEN } };
}

async function failure(handler: string, input: Record<string, unknown> = {}): Promise<CardError> {
  try {
    await executor.execute({ card: card(handler), configuration: configuration(), input });
  } catch (error) {
    return error as CardError;
  }
  throw new Error(`${handler} did not fail`);
}

async function stillServes(): Promise<void> {
  const result = await executor.execute({
    card: card('get-me.ts'),
    configuration: configuration(),
    input: {},
  });
  expect(result.output).toMatchObject({ id: 'me1' });
}

describe('the handler sandbox', () => {
  it('gives a handler the typed context: authenticated client, logger, clock, config, no secrets', async () => {
    const logs: unknown[] = [];
    const logger = { debug() {}, info: (m: string, f?: unknown) => logs.push([m, f]), warn() {}, error() {} };
    const result = await executor.execute({
      card: card('get-me.ts'),
      configuration: configuration(),
      input: { name: 'Ada' },
      logger,
      clock: { now: () => new Date('2031-05-01T00:00:00Z') },
    });
    expect(result).toEqual({
      output: { id: 'me1', greeting: 'hello Ada', sawSecrets: false, baseUrl: 'string', year: 2031 },
      calls: 1,
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(logs).toEqual([['calling me', { step: 'get-me' }]]);
  });

  it('hands raw secrets only to a card that declares needsSecrets', async () => {
    const result = await executor.execute({
      card: card('get-me.ts', { needsSecrets: true }),
      configuration: configuration(),
      input: {},
    });
    expect(result.output).toMatchObject({ sawSecrets: true });
  });

  it('turns a failed host call into a CardError the handler can catch', async () => {
    const result = await executor.execute({
      card: card('catches-card-error.ts'),
      configuration: configuration(),
      input: {},
    });
    expect(result.output).toEqual({ isCardError: true, signal: 'invalid', status: 404 });
  });

  it('shows the handler an empty environment', async () => {
    const result = await executor.execute({
      card: card('reads-env.ts'),
      configuration: configuration(),
      input: {},
    });
    expect(result.output).toEqual({ keys: [], env: '{}' });
  });

  it.each([
    ['reads-passwd.ts', 'module "fs" is not available to connector code'],
    ['reads-passwd-escaped.ts', 'This operation is not allowed in the connector sandbox'],
    ['spawns.ts', 'module "child_process" is not available to connector code'],
    ['imports-net.ts', 'import() is not available to connector code'],
  ])('refuses %s with a clear step error', async (handler, message) => {
    const error = await failure(handler);
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_DENIED');
    expect(error.signal).toBe('invalid');
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(dir);
  });

  it('refuses a raw socket to a port that listens', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const error = await failure('opens-socket.ts', { port });
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_DENIED');
    expect(error.message).toContain('module "net" is not available');
  });

  it('refuses to send the configuration credentials to another host', async () => {
    const error = await failure('sends-token-away.ts', { url: 'http://127.0.0.2:9/steal' });
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_DENIED');
    expect(error.message).toContain("call other hosts with auth: 'none'");
  });

  it('stops an endless loop at the CPU limit and keeps serving', async () => {
    const error = await failure('loops.ts');
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_CPU_LIMIT');
    expect(error.message).toBe(
      'The handler of test/loops@1 used more than 1000 ms of CPU time and was stopped',
    );
    await stillServes();
  });

  it('stops a handler that never answers at the wall-time limit', async () => {
    // A hanging handler uses no CPU, so a short wall time is reached whatever the machine's load.
    const short = new HandlerSandbox({ limits: { cpuMs: 1000, wallMs: 1000, memoryMb: 160 }, processes: 1 });
    try {
      const hanging = new CardExecutor({ sandbox: short });
      const error = await hanging
        .execute({ card: card('hangs.ts'), configuration: configuration(), input: {} })
        .then(
          () => undefined,
          (failed: CardError) => failed,
        );
      expect(error?.code).toBe('FLOWCARD_ERR_SANDBOX_WALL_LIMIT');
      expect(error?.signal).toBe('retry');
      expect(error?.message).toBe(
        'The handler of test/hangs@1 did not finish within 1000 ms and was stopped',
      );
    } finally {
      await short.close();
    }
    await stillServes();
  });

  it('stops a handler that allocates 2 GB at the memory limit', async () => {
    const error = await failure('eats-memory.ts');
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT');
    expect(error.message).toBe(
      'The handler of test/eats-memory@1 used more than 160 MB of memory and was stopped',
    );
    await stillServes();
  });

  it('refuses process.exit and process.kill', async () => {
    const exit = await failure('exits.ts');
    expect(exit.code).toBe('FLOWCARD_ERR_SANDBOX_DENIED');
    expect(exit.message).toContain('process.exit is not allowed in the connector sandbox');
    expect((await failure('kills-itself.ts')).message).toContain('process.kill is not allowed');
    await stillServes();
  });

  it('fails only that step when the handler crashes its process (V8 heap limit), then serves from a new one', async () => {
    await stillServes();
    const before = sandbox.pids;
    const error = await failure('eats-heap.ts');
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT');
    await stillServes();
    expect(sandbox.pids.some((pid) => !before.includes(pid))).toBe(true);
  });

  it('fails a module that throws at import with its bundle path, not a server path', async () => {
    const error = await failure('throws-at-import.ts');
    expect(error.code).toBe('FLOWCARD_ERR_SANDBOX_IMPORT_FAILED');
    expect(error.message).toBe(
      'The handler module handlers/throws-at-import.ts of test/throws-at-import@1 failed to load (Error): broken at import',
    );
    await stillServes();
  });

  it('runs no handler code in the calling process', async () => {
    const result = await executor.execute({
      card: card('get-me.ts'),
      configuration: configuration(),
      input: {},
    });
    expect(result.output).toMatchObject({ id: 'me1' });
    expect(sandbox.pids).not.toContain(process.pid);
  });
});
