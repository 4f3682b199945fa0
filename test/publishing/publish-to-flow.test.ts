import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectorLifecycleOf, type ConnectorRegistry } from '@flowcard/engine';
import { getBound, Ports, type RuntimeHandle } from '@flowcard/runtime';
import { uniqueName } from '../support/env';
import { startLocalService, type LocalService } from '../support/local-service';
import { masterKeysEnv } from '../support/test-master-keys';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { createWorkspaceFixture } from '../api/support/workspace-fixture';
import { waitFor, type Json } from '../e2e/support/e2e-runtime';
import { editJsonFile } from './support/edit-json-file';
import { startTestWorker } from './support/start-test-worker';
import { workerLoads } from './support/worker-loads';
import { runFlowcard } from './run-flowcard';

// A connector that does not exist anywhere yet is scaffolded, published with the CLI to a running
// API, and used in flows that a separate worker runtime runs (one API and one worker sharing a
// database and Redis, as on two machines). Nothing restarts from the first test to the last.
// The connector's service is a local HTTP server that answers `GET /me?fields=…` with the fields
// asked for, so a step's output shows which version of the card ran: 1.0.0 asks for id,name, 1.1.0
// for id,name,email, 2.0.0 for id,email.
const NAME = 'pipeline-crm';
const ACCOUNT: Record<string, string> = { id: '1000', name: 'Ada Lovelace', email: 'ada@example.com' };
const SUNSET_MESSAGE = 'Pipeline CRM 1.x was shut down on 2025-01-01; move your flows to pipeline-crm@2.';

let api: TestRuntime;
let worker: RuntimeHandle;
let adminKey: string;
let parent: string;
let dir: string;
let service: LocalService;
let serviceUrl: string;
/** When set, the service answers `GET /me` with this instead of the account (a service going away). */
let meFailure: { status: number; body: unknown } | undefined;
let configurationId: string;
/** Flow A: pinned to @1 before 2.0.0 existed. */
let flowOnMajor1: string;

beforeAll(async () => {
  service = await startLocalService((request, response) => {
    const url = new URL(request.url ?? '/', 'http://service');
    response.setHeader('content-type', 'application/json');
    if (url.pathname === '/contacts') return void response.end(JSON.stringify({ data: [] }));
    if (meFailure) {
      response.statusCode = meFailure.status;
      return void response.end(JSON.stringify(meFailure.body));
    }
    const fields = (url.searchParams.get('fields') ?? 'id').split(',');
    response.end(JSON.stringify(Object.fromEntries(fields.map((field) => [field, ACCOUNT[field]]))));
  });
  serviceUrl = service.url;

  const database = uniqueName(__filename);
  // The worker opens the configurations the API sealed: both need the same master key.
  const masterKeys = masterKeysEnv('k1');
  api = await startTestRuntime(__filename, {
    env: {
      FLOWCARD_MONGODB_DATABASE: database,
      FLOWCARD_REDIS_PREFIX: database,
      FLOWCARD_MASTER_KEYS: masterKeys,
      LOG_LEVEL: 'warn',
    },
  });
  worker = await startTestWorker({
    FLOWCARD_MONGODB_DATABASE: database,
    FLOWCARD_REDIS_PREFIX: database,
    FLOWCARD_MASTER_KEYS: masterKeys,
  });
  adminKey = (await createWorkspaceFixture(api, 'Acme', { admin: 'admin' })).keys.admin;

  parent = join(__dirname, `.publish-flow-${randomBytes(4).toString('hex')}`);
  await mkdir(parent);
  const init = await runFlowcard(['connector', 'init', NAME, '--dir', parent]);
  if (init.code !== 0) throw new Error(`connector init failed: ${init.stderr}`);
  dir = join(parent, NAME);
  await editJson('connector.json', (manifest) => (manifest.version = '1.0.0'));
  // A flow starts from a trigger card: the new connector brings its own.
  await writeFile(
    join(dir, 'cards', 'new-contact.json'),
    JSON.stringify({
      key: 'new-contact',
      kind: 'trigger',
      title: 'New contact',
      description: 'Starts a flow for every new contact.',
      input: { type: 'object', properties: {} },
      output: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, email: { type: 'string' } },
      },
      trigger: {
        type: 'polling',
        dedupeKey: '{{item.id}}',
        polling: { intervalSeconds: 300, request: { method: 'GET', path: '/contacts' }, itemsPath: 'data' },
      },
      examples: [{ input: {}, output: { id: 'c1', email: 'grace@example.com' } }],
    }),
  );
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await service?.close();
  if (parent) await rm(parent, { recursive: true, force: true });
});

const editJson = (file: string, edit: Parameters<typeof editJsonFile>[1]): Promise<void> =>
  editJsonFile(join(dir, file), edit);

const publish = (): ReturnType<typeof runFlowcard> =>
  runFlowcard(['connector', 'publish', dir, '--api', api.url, '--key', adminKey]);

const asAdmin = (path: string, init: { method?: string; body?: unknown } = {}): ReturnType<typeof call> =>
  call(`${api.url}${path}`, { ...init, apiKey: adminKey });

/** Waits until the worker runs `version` for its major: the hot-load, observed from outside the API. */
const workerRuns = (version: string): Promise<ConnectorRegistry> => workerLoads(worker, NAME, version);

/** A flow "new contact → read the account", both cards pinned to `major`. */
function accountFlow(major: number, configuration = configurationId, name = `Account @${major}`): Json {
  return {
    name,
    trigger: { card: `${NAME}/new-contact@${major}`, configurationId: configuration },
    steps: [{ id: 'account', card: `${NAME}/get-me@${major}`, configurationId: configuration, input: {} }],
  };
}

async function createFlow(spec: Json): Promise<string> {
  const created = await asAdmin('/v1/flows', { method: 'POST', body: { spec } });
  if (created.status !== 201) throw new Error(`create flow: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** Runs a flow now and waits until the run has finished; answers `{ run, steps }`. */
async function runToEnd(flowId: string): Promise<Json> {
  const started = await asAdmin(`/v1/flows/${flowId}/run`, {
    method: 'POST',
    body: { triggerOutput: { id: 'c1', email: 'grace@example.com' } },
  });
  if (started.status !== 202) throw new Error(`run now: ${JSON.stringify(started.body)}`);
  return waitFor('the run to finish', async () => {
    const answer = await asAdmin(`/v1/runs/${started.body.runId}`);
    return ['succeeded', 'failed'].includes(answer.body.run?.status) && answer.body;
  });
}

describe('a connector published to a running runtime, used in flows', () => {
  it('runs one of its cards in a flow without restarting anything', async () => {
    const published = await publish();
    expect(published.stdout).toBe(
      `✓ published ${NAME}@1.0.0 to this workspace; running runtimes load it within seconds\n`,
    );
    await workerRuns('1.0.0');

    const configuration = await asAdmin('/v1/configurations', {
      method: 'POST',
      body: {
        connector: NAME,
        nickname: 'Pipeline',
        values: { accessToken: 'token-1', baseUrl: serviceUrl },
      },
    });
    expect(configuration.status).toBe(201);
    configurationId = configuration.body.id;
    flowOnMajor1 = await createFlow(accountFlow(1));

    const { run, steps } = await runToEnd(flowOnMajor1);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    expect(steps.map((step: Json) => [step.stepId, step.status, step.output])).toEqual([
      ['account', 'succeeded', { id: '1000', name: 'Ada Lovelace' }],
    ]);
  });

  it('runs the newest minor of the pinned major in the existing flow once it is published', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '1.1.0'));
    await editJson('cards/get-me.json', (card) => {
      card.input.properties.fields.default = 'id,name,email';
      card.output.properties.email = { type: 'string' };
    });
    expect((await publish()).code).toBe(0);
    await workerRuns('1.1.0');

    const { steps } = await runToEnd(flowOnMajor1);
    expect(steps[0].output).toEqual({ id: '1000', name: 'Ada Lovelace', email: 'ada@example.com' });
  });

  it('refuses a breaking change without a major bump, listing the changes', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '1.2.0'));
    await editJson('cards/get-me.json', (card) => {
      card.input.properties.fields.default = 'id,email';
      delete card.output.properties.name;
    });
    const refused = await publish();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      [
        `✗ ${NAME}@1.2.0 was not published (HTTP 422 FLOWCARD_ERR_PUBLISH_BREAKING_CHANGE):`,
        'breaking change: bump the major version',
        '  - cards/get-me.json: /output/properties/name: output field "name" removed',
        '',
      ].join('\n'),
    );
  });

  it('accepts the change as 2.0.0; the flow pinned to @1 still runs 1.1.0 and a new flow may pin @2', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '2.0.0'));
    expect((await publish()).stdout).toBe(
      `✓ published ${NAME}@2.0.0 to this workspace; running runtimes load it within seconds\n`,
    );
    const registry = await workerRuns('2.0.0');
    expect(registry.get(NAME, 1)?.manifest.version).toBe('1.1.0');

    // 1.1.0 is the only version that reads name and email together.
    const old = await runToEnd(flowOnMajor1);
    expect(old.steps[0].output).toEqual({ id: '1000', name: 'Ada Lovelace', email: 'ada@example.com' });

    const flowOnMajor2 = await createFlow(accountFlow(2));
    const current = await runToEnd(flowOnMajor2);
    expect(current.run.status).toBe('succeeded');
    expect(current.steps[0].output).toEqual({ id: '1000', email: 'ada@example.com' });
  });

  it('refuses to save a flow pinned to a major that is not present, naming the card and the majors there are', async () => {
    const answer = await asAdmin('/v1/flows', { method: 'POST', body: { spec: accountFlow(3) } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('FLOWCARD_ERR_FLOW_INVALID');
    expect(answer.body.error.details).toEqual([
      {
        where: 'body',
        path: '/spec/trigger/card',
        code: 'FLOWCARD_ERR_FLOW_CARD_UNKNOWN',
        message: `/trigger/card: card "${NAME}/new-contact@3" is not loaded: connector "${NAME}" is loaded in major 1, 2 only; install the connector at that major, or pick another card`,
      },
      {
        where: 'body',
        path: '/spec/steps/0/card',
        code: 'FLOWCARD_ERR_FLOW_CARD_UNKNOWN',
        message: `/steps/0/card: card "${NAME}/get-me@3" is not loaded: connector "${NAME}" is loaded in major 1, 2 only; install the connector at that major, or pick another card`,
      },
    ]);
  });
});

describe('a sunset connector major whose service is gone', () => {
  let flowOnMajor2: string;

  beforeAll(async () => {
    flowOnMajor2 = await createFlow(accountFlow(2, configurationId, 'Account @2, sunset test'));
    const sunset = await runFlowcard([
      'connector',
      'lifecycle',
      `${NAME}@1.1.0`,
      '--status',
      'sunset',
      '--message',
      SUNSET_MESSAGE,
      '--sunset-at',
      '2025-01-01',
      '--api',
      api.url,
      '--key',
      adminKey,
    ]);
    if (sunset.code !== 0) throw new Error(`connector lifecycle failed: ${sunset.stderr}`);
    // The worker learns it by polling the registry, like a publish.
    const registry = getBound(worker.container, Ports.connectors);
    await waitFor(
      'the worker to see major 1 gone',
      async () => connectorLifecycleOf(registry, NAME, 1)?.gone,
      10_000,
    );
  });
  afterEach(() => {
    meFailure = undefined;
  });

  it('warns when a flow on it is enabled', async () => {
    const enabled = await asAdmin(`/v1/flows/${flowOnMajor1}/enable`, { method: 'POST' });
    expect(enabled.status).toBe(200);
    expect(enabled.body.warnings).toEqual([
      { connector: `${NAME}@1`, status: 'sunset', message: SUNSET_MESSAGE },
    ]);
    expect((await asAdmin(`/v1/flows/${flowOnMajor1}/disable`, { method: 'POST' })).status).toBe(200);
  });

  it.each([503, 404, 410])(
    'fails a step whose service answers HTTP %i with the lifecycle message, at once',
    async (status) => {
      meFailure = { status, body: { message: 'gone' } };
      const { run, steps } = await runToEnd(flowOnMajor1);
      expect(run.status).toBe('failed');
      expect(run.error).toMatchObject({
        code: 'FLOWCARD_ERR_CONNECTOR_SUNSET',
        message: `${NAME}@1 is sunset: ${SUNSET_MESSAGE}`,
        signal: 'invalid',
        stepId: 'account',
      });
      // Not retried: the first attempt is the last.
      expect(steps.map((step: Json) => step.status)).toEqual(['failed']);
    },
  );

  it('fails a step whose service no longer answers at all with the lifecycle message', async () => {
    const closed = await startLocalService();
    const deadUrl = closed.url;
    await closed.close();
    // Nothing answers to test it against, so an admin saves it without the connection test.
    const configuration = await asAdmin('/v1/configurations?test=false', {
      method: 'POST',
      body: {
        connector: NAME,
        nickname: 'Pipeline (old host)',
        values: { accessToken: 't', baseUrl: deadUrl },
      },
    });
    expect(configuration.status).toBe(201);
    const flow = await createFlow(accountFlow(1, configuration.body.id, 'Account @1, old host'));

    const { run } = await runToEnd(flow);
    expect(run.error).toMatchObject({
      code: 'FLOWCARD_ERR_CONNECTOR_SUNSET',
      message: `${NAME}@1 is sunset: ${SUNSET_MESSAGE}`,
    });
  });

  it('keeps an error that says something else (HTTP 400) as it is', async () => {
    meFailure = { status: 400, body: { message: 'fields is malformed' } };
    const { run } = await runToEnd(flowOnMajor1);
    expect(run.error).toMatchObject({ code: 'FLOWCARD_ERR_INVALID_REQUEST' });
    expect(run.error.message).toContain('fields is malformed');
  });

  it('does not block a call that succeeds', async () => {
    const { run, steps } = await runToEnd(flowOnMajor1);
    expect(run.status).toBe('succeeded');
    expect(steps[0].output).toEqual({ id: '1000', name: 'Ada Lovelace', email: 'ada@example.com' });
  });

  it('leaves the active major alone: its step retries the same failure and succeeds once the service is back', async () => {
    meFailure = { status: 503, body: { message: 'maintenance' } };
    const started = await asAdmin(`/v1/flows/${flowOnMajor2}/run`, { method: 'POST', body: {} });
    await waitFor('a retrying attempt', async () => {
      const answer = await asAdmin(`/v1/runs/${started.body.runId}`);
      return answer.body.steps?.some((step: Json) => step.status === 'retrying') && answer.body;
    });
    const retrying = (await asAdmin(`/v1/runs/${started.body.runId}`)).body;
    expect(retrying.steps[0].error.code).toBe('FLOWCARD_ERR_UPSTREAM_UNAVAILABLE');
    meFailure = undefined;
    const finished = await waitFor('the run to succeed', async () => {
      const answer = await asAdmin(`/v1/runs/${started.body.runId}`);
      return answer.body.run?.status === 'succeeded' && answer.body;
    });
    expect(finished.steps.at(-1).output).toEqual({ id: '1000', email: 'ada@example.com' });
  });
});
