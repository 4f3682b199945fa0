import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectorRegistry } from '@flowcard/engine';
import { getBound, Ports, type RuntimeHandle } from '@flowcard/runtime';
import { uniqueName } from '../support/env';
import { startLocalService, type LocalService } from '../support/local-service';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { createWorkspaceFixture } from '../api/support/workspace-fixture';
import { editJsonFile } from './support/edit-json-file';
import { startTestWorker } from './support/start-test-worker';
import { workerLoads } from './support/worker-loads';
import { runFlowcard } from './run-flowcard';

// One API process and one worker process share a database, as on two machines. The connector is
// scaffolded with `connector init`, published with `connector publish`, and must run in the worker
// without either process restarting.
let api: TestRuntime;
let worker: RuntimeHandle;
let adminKey: string;
let memberKey: string;
let parent: string;
let dir: string;
let service: LocalService;
let serviceUrl: string;

beforeAll(async () => {
  service = await startLocalService((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ id: '1000', name: 'Ada Lovelace' }));
  });
  serviceUrl = service.url;

  const database = uniqueName(__filename);
  api = await startTestRuntime(__filename, { env: { FLOWCARD_MONGODB_DATABASE: database } });
  worker = await startTestWorker({ FLOWCARD_MONGODB_DATABASE: database, FLOWCARD_REDIS_PREFIX: database });
  ({ admin: adminKey, member: memberKey } = (
    await createWorkspaceFixture(api, 'Acme', { admin: 'admin', member: 'member' })
  ).keys);

  parent = join(__dirname, `.publish-${randomBytes(4).toString('hex')}`);
  await mkdir(parent);
  await runFlowcard(['connector', 'init', 'acme-crm', '--dir', parent]);
  dir = join(parent, 'acme-crm');
  await editJson('connector.json', (manifest) => (manifest.version = '1.0.0'));
  // A handler card proves handler sources travel in the bundle and run where they are installed.
  await mkdir(join(dir, 'handlers'));
  await writeFile(
    join(dir, 'handlers', 'shout.ts'),
    "import { defineHandler } from '@flowcard/sdk';\nexport default defineHandler<{ text: string }, { text: string }>(async (_ctx, input) => ({ text: input.text.toUpperCase() }));\n",
  );
  await writeFile(
    join(dir, 'cards', 'shout.json'),
    JSON.stringify({
      key: 'shout',
      kind: 'action',
      title: 'Shout',
      description: 'Upper-cases a text.',
      input: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      output: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      handler: 'handlers/shout.ts',
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

const publish = (key: string): ReturnType<typeof runFlowcard> =>
  runFlowcard(['connector', 'publish', dir, '--api', api.url, '--key', key]);

/** Waits until the worker's registry runs `version` for its major: the hot-load, observed from outside. */
const workerRuns = (version: string): Promise<ConnectorRegistry> => workerLoads(worker, 'acme-crm', version);

describe('publishing a connector to a running runtime', () => {
  it('refuses a member key', async () => {
    const result = await publish(memberKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 403 FLOWCARD_ERR_ROLE_FORBIDDEN');
  });

  it('publishes with an admin key; the API lists it at once and the worker runs its cards within seconds', async () => {
    const result = await publish(adminKey);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '✓ published acme-crm@1.0.0 to this workspace; running runtimes load it within seconds\n',
    );

    const catalog = await call(`${api.url}/v1/catalog/connectors/acme-crm`, { apiKey: memberKey });
    expect(catalog.status).toBe(200);

    const registry = await workerRuns('1.0.0');
    const executor = getBound(worker.container, Ports.cardExecutor);
    const configuration = { values: { baseUrl: serviceUrl }, secrets: { accessToken: 't' } };
    const me = await executor.execute({
      card: registry.requireCard('acme-crm/get-me@1'),
      configuration,
      input: {},
    });
    expect(me.output).toEqual({ id: '1000', name: 'Ada Lovelace' });
    const shout = await executor.execute({
      card: registry.requireCard('acme-crm/shout@1'),
      configuration,
      input: { text: 'hi' },
    });
    expect(shout.output).toEqual({ text: 'HI' });
  });

  it('treats publishing the same version with the same content again as done', async () => {
    const result = await publish(adminKey);
    expect(result.stdout).toBe('✓ acme-crm@1.0.0 is already published with this content; nothing to do\n');
    expect(result.code).toBe(0);
  });

  it('never publishes the same version with other content', async () => {
    await editJson('cards/get-me.json', (card) => (card.description = 'Reads the account.'));
    const result = await publish(adminKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 409 FLOWCARD_ERR_REGISTRY_VERSION_EXISTS');
    expect(result.stderr).toContain(
      'acme-crm@1.0.0 is already published; bump the version to publish a change',
    );
  });

  it('refuses a breaking change without a major bump, listing the changes', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '1.1.0'));
    await editJson('cards/get-me.json', (card) => delete card.output.properties.name);
    await editJson(
      'cards/shout.json',
      (card) => ((card.input.properties.loud = { type: 'boolean' }), card.input.required.push('loud')),
    );
    const result = await publish(adminKey);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        '✗ acme-crm@1.1.0 was not published (HTTP 422 FLOWCARD_ERR_PUBLISH_BREAKING_CHANGE):',
        'breaking change: bump the major version',
        '  - cards/get-me.json: /output/properties/name: output field "name" removed',
        '  - cards/shout.json: /input/properties/loud: new required input "loud"',
        '',
      ].join('\n'),
    );
  });

  it('accepts the same change as a new major, and keeps the old major running for existing flows', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '2.0.0'));
    const result = await publish(adminKey);
    expect(result.stdout).toBe(
      '✓ published acme-crm@2.0.0 to this workspace; running runtimes load it within seconds\n',
    );
    const registry = await workerRuns('2.0.0');
    expect(registry.get('acme-crm', 1)?.manifest.version).toBe('1.0.0');
    expect(registry.card('acme-crm/get-me@1')?.spec.output).toMatchObject({
      properties: { name: { type: 'string' } },
    });
  });

  it('accepts an additive change as a minor, lists it, and flows pinned to the major run the new minor', async () => {
    await editJson('connector.json', (manifest) => (manifest.version = '2.1.0'));
    await editJson('cards/get-me.json', (card) => (card.output.properties.email = { type: 'string' }));
    const result = await publish(adminKey);
    expect(result.stdout).toBe(
      '✓ published acme-crm@2.1.0 (compatible with 2.0.0) to this workspace; running runtimes load it within seconds\n' +
        '  + cards/get-me.json: /output/properties/email: new output field "email"\n',
    );
    const registry = await workerRuns('2.1.0');
    expect(Object.keys(registry.requireCard('acme-crm/get-me@2').spec.output.properties as object)).toContain(
      'email',
    );
  });

  it('lists the published versions, highest first, with the one each major runs', async () => {
    const { status, body } = await call(`${api.url}/v1/registry/connectors/acme-crm`, { apiKey: memberKey });
    expect(status).toBe(200);
    expect(
      body.versions.map((entry: { version: string; running: boolean }) => [entry.version, entry.running]),
    ).toEqual([
      ['2.1.0', true],
      ['2.0.0', false],
      ['1.0.0', true],
    ]);
  });
});
