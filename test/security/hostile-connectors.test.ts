import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongoUri, redisUrl, uniqueName } from '../support/env';
import { startFlowcardProcess, type FlowcardProcess } from '../support/flowcard-process';
import { startLocalService, type LocalService } from '../support/local-service';
import { repositoryRoot } from '../support/log-capture';
import { masterKeysEnv } from '../support/test-master-keys';
import { call } from '../api/support/start-test-runtime';
import { waitFor, type Json } from '../e2e/support/e2e-runtime';
import { runFlowcard } from '../publishing/run-flowcard';

// A workspace admin publishes a connector whose handlers attack the runtime they run on: they read
// its environment and files, spawn a process, open a socket to Redis, loop forever, allocate 2 GB,
// exit the process. Everything is real: a `flowcard start` process (API + worker + scheduler), the
// CLI publishing the bundle over HTTP, flows run through the API. Each attack must end as a clear
// step error (or, for process.env, an empty object), nothing of the runtime may appear in what the
// API answers, and the same runtime must still serve the next request and run the next flow.
const NAME = 'hostile';
const CANARY = `canary-${Date.now().toString(36)}-do-not-leak`;
const MASTER_KEYS = masterKeysEnv('k1');
const ACCOUNT = { id: '1000', name: 'Ada Lovelace' };

const HANDLERS: Record<string, string> = {
  'reads-env': `export default async () => ({ env: { ...process.env }, keys: Object.keys(process.env) });`,
  'reads-passwd': `export default async () => require('fs').readFileSync('/etc/passwd', 'utf8');`,
  'reads-passwd-around': `
    export default async () => {
      const escaped = Function('return process')();
      return String(escaped.binding('fs').open('/etc/passwd', 0, 0));
    };`,
  'reads-runtime-files': `
    export default async (_ctx, input: { path: string }) => JSON.stringify(require(input.path));`,
  'escapes-bundle': `export default async () => JSON.stringify(require('../../../../../package.json'));`,
  spawns: `export default async () => String(require('child_process').execSync('id'));`,
  'opens-socket': `
    export default async (_ctx, input: { port: number }) => {
      const net = require('net');
      return new Promise((resolve) => net.connect(input.port, '127.0.0.1', () => resolve('connected')));
    };`,
  loops: `export default async () => { for (;;) {} };`,
  'eats-2gb': `
    export default async () => {
      const kept = [];
      for (let i = 0; i < 64; i++) kept.push(Buffer.alloc(32 * 1024 * 1024, 1));
      return kept.length;
    };`,
  exits: `export default async () => { process.exit(0); };`,
  greets: `
    import { defineHandler } from '@flowcard/sdk';
    export default defineHandler(async (ctx) => {
      const me = await ctx.http.request<{ id: string; name: string }>({ method: 'GET', path: '/me' });
      return { id: me.data.id, greeting: 'hello ' + me.data.name };
    });`,
};

let service: LocalService;
let runtime: FlowcardProcess;
let scratch: string;
let dataDir: string;
let adminKey: string;
let configurationId: string;

beforeAll(async () => {
  service = await startLocalService((request, response) => {
    response.setHeader('content-type', 'application/json');
    if ((request.url ?? '').startsWith('/contacts')) return void response.end(JSON.stringify({ data: [] }));
    response.end(JSON.stringify(ACCOUNT));
  });
  scratch = await mkdtemp(join(tmpdir(), 'flowcard-hostile-'));
  dataDir = join(scratch, 'data');
  const name = uniqueName(__filename);
  runtime = await startFlowcardProcess(
    'start',
    {
      MONGODB_URI: mongoUri(),
      FLOWCARD_MONGODB_DATABASE: name,
      REDIS_URL: redisUrl(),
      FLOWCARD_REDIS_PREFIX: name,
      FLOWCARD_MASTER_KEYS: MASTER_KEYS,
      FLOWCARD_DATA_DIR: dataDir,
      HOSTILE_TEST_CANARY: CANARY,
      HOST: '127.0.0.1',
      // info: the process says "API listening on" at that level (startFlowcardProcess waits for it).
      LOG_LEVEL: 'info',
      FLOWCARD_SANDBOX_CPU_MS: '1500',
      FLOWCARD_SANDBOX_MEMORY_MB: '192',
    },
    120_000,
  );
  const bootstrap = await call(`${runtime.url}/v1/admin/bootstrap`, {
    method: 'POST',
    body: { email: 'admin@example.com', workspace: 'Acme' },
  });
  expect(bootstrap.status).toBe(201);
  adminKey = bootstrap.body.apiKey;

  const init = await runFlowcard(['connector', 'init', NAME, '--dir', scratch]);
  if (init.code !== 0) throw new Error(`connector init failed: ${init.stderr}`);
  const dir = join(scratch, NAME);
  await writeCard(dir, 'new-contact', {
    kind: 'trigger',
    input: { type: 'object', properties: {} },
    output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    trigger: {
      type: 'polling',
      dedupeKey: '{{item.id}}',
      polling: { intervalSeconds: 300, request: { method: 'GET', path: '/contacts' }, itemsPath: 'data' },
    },
    examples: [{ input: {}, output: { id: 'c1' } }],
  });
  await mkdir(join(dir, 'handlers'), { recursive: true });
  for (const [key, source] of Object.entries(HANDLERS)) {
    await writeFile(join(dir, 'handlers', `${key}.ts`), source);
    await writeCard(dir, key, {
      kind: 'action',
      handler: `handlers/${key}.ts`,
      input: { type: 'object', properties: { path: { type: 'string' }, port: { type: 'integer' } } },
      output: {},
    });
  }
  const published = await runFlowcard(['connector', 'publish', dir, '--api', runtime.url, '--key', adminKey]);
  if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}`);

  const configuration = await asAdmin('/v1/configurations', {
    method: 'POST',
    body: {
      connector: NAME,
      nickname: 'Hostile',
      values: { accessToken: 'token-hostile-1', baseUrl: service.url },
    },
  });
  expect(configuration.status).toBe(201);
  configurationId = configuration.body.id;
}, 240_000);

afterAll(async () => {
  await runtime?.stop();
  await service?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function writeCard(dir: string, key: string, spec: Record<string, unknown>): Promise<void> {
  await writeFile(
    join(dir, 'cards', `${key}.json`),
    JSON.stringify({ key, title: key, description: `The ${key} card.`, ...spec }),
  );
}

const asAdmin = (path: string, init: { method?: string; body?: unknown } = {}): ReturnType<typeof call> =>
  call(`${runtime.url}${path}`, { ...init, apiKey: adminKey });

/** Saves the flow "new contact → <card>", runs it now and waits for the end: `{ run, steps }` as the API answers. */
async function runCard(card: string, input: Record<string, unknown> = {}): Promise<Json> {
  const created = await asAdmin('/v1/flows', {
    method: 'POST',
    body: {
      spec: {
        name: `Runs ${card}`,
        trigger: { card: `${NAME}/new-contact@0`, configurationId },
        steps: [{ id: 'attack', card: `${NAME}/${card}@0`, configurationId, input }],
      },
    },
  });
  if (created.status !== 201) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
  const started = await asAdmin(`/v1/flows/${created.body.id}/run`, {
    method: 'POST',
    body: { triggerOutput: { id: 'c1' } },
  });
  if (started.status !== 202) throw new Error(`run now: ${JSON.stringify(started.body)}`);
  return waitFor(
    `the run of ${card} to finish`,
    async () => {
      const answer = await asAdmin(`/v1/runs/${started.body.runId}`);
      // Step records are written in batches after the step: wait for the one this run has.
      const ended = ['succeeded', 'failed'].includes(answer.body.run?.status);
      return ended && answer.body.steps?.length > 0 && answer.body;
    },
    60_000,
  );
}

/**
 * Nothing of the runtime in what a member can read: environment, keys, files, paths. A step's input
 * is left out: it is what the flow's author typed (one attack passes a server path as input).
 */
function expectNothingLeaks(answer: Json): void {
  const text = JSON.stringify({
    run: answer.run,
    steps: answer.steps.map(({ input: _input, ...step }: Json) => step),
  });
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(MASTER_KEYS.split(':')[1]);
  expect(text).not.toContain('token-hostile-1');
  expect(text).not.toContain('root:x:0:0');
  expect(text).not.toContain(repositoryRoot);
  expect(text).not.toContain(scratch);
}

/** The runtime answers the next request and runs the next flow with a well-behaved handler. */
async function expectStillServing(): Promise<void> {
  expect((await call(`${runtime.url}/health`)).status).toBe(200);
  const { run, steps } = await runCard('greets');
  expect(run.status).toBe('succeeded');
  expect(steps[0].output).toEqual({ id: '1000', greeting: 'hello Ada Lovelace' });
}

describe('a published connector whose handlers attack the runtime', () => {
  it('runs a well-behaved handler of the connector in the sandbox', async () => {
    await expectStillServing();
  });

  it('sees an empty environment: nothing of the runtime leaks into the output', async () => {
    const answer = await runCard('reads-env');
    expect(answer.run.status).toBe('succeeded');
    expect(answer.steps[0].output).toEqual({ env: {}, keys: [] });
    expectNothingLeaks(answer);
  });

  const refused: Array<[string, string, Record<string, unknown>, string]> = [
    ['reads /etc/passwd', 'reads-passwd', {}, 'module "fs" is not available to connector code'],
    [
      'reads /etc/passwd around the module list',
      'reads-passwd-around',
      {},
      'This operation is not allowed in the connector sandbox',
    ],
    [
      "reads the runtime's files",
      'reads-runtime-files',
      { path: join(repositoryRoot, 'package.json') },
      'modules outside the connector bundle are not available to connector code',
    ],
    [
      "reads the runtime's files through a relative path",
      'escapes-bundle',
      {},
      'module "../../../../../package.json" is not part of the connector bundle',
    ],
    ['spawns a process', 'spawns', {}, 'module "child_process" is not available to connector code'],
    [
      'opens a raw socket to Redis',
      'opens-socket',
      { port: 6379 },
      'module "net" is not available to connector code',
    ],
    ['calls process.exit', 'exits', {}, 'process.exit is not allowed in the connector sandbox'],
  ];

  it.each(refused)(
    'refuses a handler that %s with a clear step error',
    async (_what, card, input, message) => {
      const answer = await runCard(card, input);
      expect(answer.run.status).toBe('failed');
      expect(answer.steps[0].status).toBe('failed');
      expect(answer.steps[0].error.code).toBe('FLOWCARD_ERR_SANDBOX_DENIED');
      expect(answer.steps[0].error.message).toContain(`The handler of ${NAME}/${card}@0 was refused: `);
      expect(answer.steps[0].error.message).toContain(message);
      expectNothingLeaks(answer);
      await expectStillServing();
    },
  );

  it('stops a handler that loops forever at the CPU limit', async () => {
    const answer = await runCard('loops');
    expect(answer.steps[0].error).toMatchObject({
      code: 'FLOWCARD_ERR_SANDBOX_CPU_LIMIT',
      message: `The handler of ${NAME}/loops@0 used more than 1500 ms of CPU time and was stopped`,
    });
    expectNothingLeaks(answer);
    await expectStillServing();
  });

  it('stops a handler that allocates 2 GB at the memory limit', async () => {
    const answer = await runCard('eats-2gb');
    expect(answer.steps[0].error).toMatchObject({
      code: 'FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT',
      message: `The handler of ${NAME}/eats-2gb@0 used more than 192 MB of memory and was stopped`,
    });
    expectNothingLeaks(answer);
    await expectStillServing();
  });

  it('kept the runtime process alive through every attack', async () => {
    expect(() => process.kill(runtime.pid, 0)).not.toThrow();
    expect(runtime.output()).not.toContain('exited');
  });
});
