import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uniqueName } from '../support/env';
import { startLocalService, type LocalService } from '../support/local-service';
import { masterKeysEnv } from '../support/test-master-keys';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { createWorkspaceFixture } from '../api/support/workspace-fixture';
import { waitFor, type Json } from '../e2e/support/e2e-runtime';
import { editJsonFile } from './support/edit-json-file';
import { runFlowcard } from './run-flowcard';

// A connector major disappears from a deployment after flows were saved on it: the operator
// replaced the connector's folder (FLOWCARD_CONNECTORS_DIR) with its next major and redeployed.
// The runtime comes back on the same database and Redis without major 1; the saved flow must say so
// when it is run (and enabled), and a new flow on @1 must be refused naming the majors there are.
const NAME = 'ledger-crm';

let runtime: TestRuntime | undefined;
let env: Record<string, string>;
let apiKey: string;
let connectorsDir: string;
let service: LocalService;
let serviceUrl: string;
let configurationId: string;
let flowId: string;

beforeAll(async () => {
  service = await startLocalService((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ id: '1000', name: 'Ada Lovelace' }));
  });
  serviceUrl = service.url;

  connectorsDir = join(__dirname, `.missing-major-${randomBytes(4).toString('hex')}`);
  await mkdir(connectorsDir);
  const init = await runFlowcard(['connector', 'init', NAME, '--dir', connectorsDir]);
  if (init.code !== 0) throw new Error(`connector init failed: ${init.stderr}`);
  await setVersion('1.0.0');
  await writeFile(
    join(connectorsDir, NAME, 'cards', 'new-entry.json'),
    JSON.stringify({
      key: 'new-entry',
      kind: 'trigger',
      title: 'New entry',
      description: 'Starts a flow for every new ledger entry.',
      input: { type: 'object', properties: {} },
      output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      trigger: {
        type: 'polling',
        dedupeKey: '{{item.id}}',
        polling: { intervalSeconds: 300, request: { method: 'GET', path: '/entries' }, itemsPath: 'data' },
      },
      examples: [{ input: {}, output: { id: 'e1' } }],
    }),
  );

  const database = uniqueName(__filename);
  env = {
    FLOWCARD_MONGODB_DATABASE: database,
    FLOWCARD_REDIS_PREFIX: database,
    // Secrets sealed before the redeploy must open after it.
    FLOWCARD_MASTER_KEYS: masterKeysEnv('k1'),
    FLOWCARD_CONNECTORS_DIR: connectorsDir,
    LOG_LEVEL: 'warn',
  };
  runtime = await deploy();
  apiKey = (await createWorkspaceFixture(runtime, 'Acme', { admin: 'admin' })).keys.admin;
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await service?.close();
  if (connectorsDir) await rm(connectorsDir, { recursive: true, force: true });
});

/** API, worker and scheduler in one process (`flowcard start`), on this file's database and Redis prefix. */
function deploy(): Promise<TestRuntime> {
  return startTestRuntime(__filename, { roles: ['api', 'worker', 'scheduler'], env });
}

const setVersion = (version: string): Promise<void> =>
  editJsonFile(join(connectorsDir, NAME, 'connector.json'), (manifest) => (manifest.version = version));

function api(path: string, init: { method?: string; body?: unknown } = {}): ReturnType<typeof call> {
  if (!runtime) throw new Error('no runtime is deployed');
  return call(`${runtime.url}${path}`, { ...init, apiKey });
}

function ledgerFlow(major: number): Json {
  return {
    name: `Ledger @${major}`,
    trigger: { card: `${NAME}/new-entry@${major}`, configurationId },
    steps: [{ id: 'account', card: `${NAME}/get-me@${major}`, configurationId, input: {} }],
  };
}

async function runToEnd(id: string): Promise<Json> {
  const started = await api(`/v1/flows/${id}/run`, { method: 'POST', body: { triggerOutput: { id: 'e1' } } });
  expect(started.status).toBe(202);
  return waitFor('the run to finish', async () => {
    const answer = await api(`/v1/runs/${started.body.runId}`);
    return ['succeeded', 'failed'].includes(answer.body.run?.status) && answer.body;
  });
}

describe('a flow pinned to a connector major the runtime no longer loads', () => {
  beforeAll(async () => {
    const configuration = await api('/v1/configurations', {
      method: 'POST',
      body: { connector: NAME, nickname: 'Ledger', values: { accessToken: 'token-1', baseUrl: serviceUrl } },
    });
    if (configuration.status !== 201) throw new Error(`configuration: ${JSON.stringify(configuration.body)}`);
    configurationId = configuration.body.id;
    const created = await api('/v1/flows', { method: 'POST', body: { spec: ledgerFlow(1) } });
    if (created.status !== 201) throw new Error(`flow: ${JSON.stringify(created.body)}`);
    flowId = created.body.id;
    // It runs while major 1 is deployed.
    const before = await runToEnd(flowId);
    if (before.run.status !== 'succeeded')
      throw new Error(`the flow did not run: ${JSON.stringify(before.run)}`);

    await runtime?.stop();
    runtime = undefined;
    await setVersion('2.0.0');
    runtime = await deploy();
  }, 120_000);

  it('fails its run with a clear code and a message naming the majors that are loaded', async () => {
    const { run, steps } = await runToEnd(flowId);
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({
      code: 'FLOWCARD_ERR_RUN_CARD_UNAVAILABLE',
      message: `Card ${NAME}/get-me@1 of step account is not loaded on this worker: connector "${NAME}" is loaded in major 2 only`,
      signal: 'invalid',
      stepId: 'account',
    });
    expect(steps.map((step: Json) => step.status)).toEqual(['failed']);
  });

  it('refuses to enable it, naming the card and the majors that are loaded', async () => {
    const answer = await api(`/v1/flows/${flowId}/enable`, { method: 'POST' });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('FLOWCARD_ERR_FLOW_INVALID');
    expect(answer.body.error.details.map((detail: Json) => detail.message)).toEqual([
      `/trigger/card: card "${NAME}/new-entry@1" is not loaded: connector "${NAME}" is loaded in major 2 only; install the connector at that major, or pick another card`,
      `/steps/0/card: card "${NAME}/get-me@1" is not loaded: connector "${NAME}" is loaded in major 2 only; install the connector at that major, or pick another card`,
    ]);
    expect((await api(`/v1/flows/${flowId}`)).body.enabled).toBe(false);
  });

  it('refuses to save a new flow on that major, and accepts one on the major that is loaded', async () => {
    const refused = await api('/v1/flows', { method: 'POST', body: { spec: ledgerFlow(1) } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain(
      `card "${NAME}/get-me@1" is not loaded: connector "${NAME}" is loaded in major 2 only`,
    );
    const accepted = await api('/v1/flows', { method: 'POST', body: { spec: ledgerFlow(2) } });
    expect(accepted.status).toBe(201);
    expect((await runToEnd(accepted.body.id)).run.status).toBe('succeeded');
  });
});
