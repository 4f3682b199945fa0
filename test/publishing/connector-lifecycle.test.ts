import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connectorLifecycleOf, connectorSunsetError, type ConnectorRegistry } from '@flowcard/engine';
import { getBound, Ports } from '@flowcard/runtime';
import { uniqueName } from '../support/env';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { createWorkspaceFixture } from '../api/support/workspace-fixture';
import { editJsonFile } from './support/edit-json-file';
import { runFlowcard } from './run-flowcard';

// Two API processes share one database, as on two machines: the lifecycle is set through the CLI on
// the first; the second must show it in its catalog without a restart (it polls the registry).
let first: TestRuntime;
let second: TestRuntime;
let database: string;
let adminKey: string;
let memberKey: string;
let parent: string;
let dir: string;

beforeAll(async () => {
  database = uniqueName(__filename);
  first = await startTestRuntime(__filename, { env: { FLOWCARD_MONGODB_DATABASE: database } });
  second = await startTestRuntime(__filename, { env: { FLOWCARD_MONGODB_DATABASE: database } });
  ({ admin: adminKey, member: memberKey } = (
    await createWorkspaceFixture(first, 'Acme', { admin: 'admin', member: 'member' })
  ).keys);

  parent = join(__dirname, `.lifecycle-${randomBytes(4).toString('hex')}`);
  await mkdir(parent);
  await runFlowcard(['connector', 'init', 'acme-ledger', '--dir', parent]);
  dir = join(parent, 'acme-ledger');
  await setVersion('1.0.0');
  const published = await publish();
  if (published.code !== 0) throw new Error(`publishing acme-ledger@1.0.0 failed: ${published.stderr}`);
}, 120_000);

afterAll(async () => {
  await second?.stop();
  await first?.stop();
  if (parent) await rm(parent, { recursive: true, force: true });
});

const setVersion = (version: string): Promise<void> =>
  editJsonFile(join(dir, 'connector.json'), (manifest) => (manifest.version = version));

const publish = (): ReturnType<typeof runFlowcard> =>
  runFlowcard(['connector', 'publish', dir, '--api', first.url, '--key', adminKey]);

const lifecycle = (target: string, args: string[], key = adminKey): ReturnType<typeof runFlowcard> =>
  runFlowcard(['connector', 'lifecycle', target, ...args, '--api', first.url, '--key', key]);

async function catalogEntry(runtime: TestRuntime, query = ''): Promise<Record<string, unknown>> {
  const { status, body } = await call(`${runtime.url}/v1/catalog/connectors/acme-ledger${query}`, {
    apiKey: memberKey,
  });
  expect(status).toBe(200);
  return body;
}

/** Polls the second process's catalog until its lifecycle status is `status`: the hot-load, seen from outside. */
async function secondShows(status: string, query = ''): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entry = await catalogEntry(second, query);
    if ((entry.lifecycle as { status: string }).status === status) return entry;
    if (Date.now() > deadline) throw new Error(`the second runtime did not show ${status} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the second process runs `version` for its major (published on the first one). */
async function secondRuns(version: string): Promise<void> {
  const major = Number(version.split('.')[0]);
  const deadline = Date.now() + 10_000;
  while (registryOf(second).get('acme-ledger', major)?.manifest.version !== version) {
    if (Date.now() > deadline)
      throw new Error(`the second runtime did not load acme-ledger@${version} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const registryOf = (runtime: TestRuntime): ConnectorRegistry =>
  getBound(runtime.handle.container, Ports.connectors);

describe('flowcard connector lifecycle', () => {
  it('refuses a member key', async () => {
    const result = await lifecycle(
      'acme-ledger@1.0.0',
      ['--status', 'deprecated', '--message', 'Moving.'],
      memberKey,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 403 FLOWCARD_ERR_ROLE_FORBIDDEN');
  });

  it('deprecates a version: its own catalog shows it at once, the other runtime within seconds', async () => {
    const result = await lifecycle('acme-ledger@1.0.0', [
      '--status',
      'deprecated',
      '--message',
      'Acme Ledger moves to Acme Books; switch your flows before 2027.',
      '--deprecated-at',
      '2026-11-01',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      '✓ acme-ledger@1.0.0 is now deprecated; running runtimes show it in the catalog within seconds\n',
    );
    const expected = {
      status: 'deprecated',
      message: 'Acme Ledger moves to Acme Books; switch your flows before 2027.',
      deprecatedAt: '2026-11-01',
      notice: 'Acme Ledger is deprecated since 2026-11-01: it still works, but plan to move away.',
    };
    expect((await catalogEntry(first)).lifecycle).toEqual(expected);
    expect((await secondShows('deprecated')).lifecycle).toEqual(expected);
  });

  it('sunsets a version with its dates; the flow engine learns the service is gone, with the message', async () => {
    const result = await lifecycle('acme-ledger@1.0.0', [
      '--status',
      'sunset',
      '--message',
      'Acme Ledger shut down on 2026-10-01; use Acme Books.',
      '--read-only-at',
      '2026-09-01',
      '--sunset-at',
      '2026-10-01',
    ]);
    expect(result.code).toBe(0);
    const entry = await secondShows('sunset');
    expect(entry.lifecycle).toEqual({
      status: 'sunset',
      message: 'Acme Ledger shut down on 2026-10-01; use Acme Books.',
      readOnlyAt: '2026-09-01',
      sunsetAt: '2026-10-01',
      notice: 'Acme Ledger is sunset: the service shut down on 2026-10-01. It went read-only on 2026-09-01.',
    });

    const status = connectorLifecycleOf(
      registryOf(second),
      'acme-ledger',
      1,
      new Date('2026-11-22T00:00:00Z'),
    );
    expect(status).toMatchObject({ connector: 'acme-ledger@1', version: '1.0.0', gone: true, warn: true });
    // A card taken from the registry points at the connector with the new lifecycle too.
    expect(registryOf(second).requireCard('acme-ledger/get-me@1').connector.manifest.lifecycle.status).toBe(
      'sunset',
    );
    const error = connectorSunsetError(status!);
    expect(error).toMatchObject({ code: 'FLOWCARD_ERR_CONNECTOR_SUNSET', status: 410, category: 'invalid' });
    expect(error.message).toBe(
      'acme-ledger@1 is sunset: Acme Ledger shut down on 2026-10-01; use Acme Books.',
    );
  });

  it('lists the lifecycle with the published version, and a runtime started later loads it with that lifecycle', async () => {
    const { body } = await call(`${first.url}/v1/registry/connectors/acme-ledger`, { apiKey: memberKey });
    expect(body.versions).toEqual([
      expect.objectContaining({
        version: '1.0.0',
        lifecycle: 'sunset',
        lifecycleChangedAt: expect.any(String),
      }),
    ]);
    const later = await startTestRuntime(__filename, { env: { FLOWCARD_MONGODB_DATABASE: database } });
    try {
      expect((await catalogEntry(later)).lifecycle).toMatchObject({
        status: 'sunset',
        sunsetAt: '2026-10-01',
      });
    } finally {
      await later.stop();
    }
  });

  it('refuses a lifecycle the manifest schema refuses: sunset without a message, a date that is not a date', async () => {
    const noMessage = await lifecycle('acme-ledger@1.0.0', ['--status', 'sunset']);
    expect(noMessage.code).toBe(1);
    expect(noMessage.stderr).toBe(
      '✗ the lifecycle of acme-ledger@1.0.0 was not set (HTTP 400 FLOWCARD_ERR_REQUEST_INVALID):\n' +
        'The request is invalid: body must have property "message"; body must match "then" schema\n',
    );

    const badDate = await lifecycle('acme-ledger@1.0.0', [
      '--status',
      'sunset',
      '--message',
      'Gone.',
      '--sunset-at',
      '1 June',
    ]);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toBe(
      '✗ the lifecycle of acme-ledger@1.0.0 was not set (HTTP 400 FLOWCARD_ERR_REQUEST_INVALID):\n' +
        'The request is invalid: body/sunsetAt must match format "date"\n',
    );

    const badStatus = await lifecycle('acme-ledger@1.0.0', ['--status', 'retired', '--message', 'Gone.']);
    expect(badStatus.stderr).toBe('✗ --status must be one of active, deprecated, sunset, not "retired"\n');
    expect((await catalogEntry(first)).lifecycle).toMatchObject({ status: 'sunset' });
  });

  it('documents the route in the OpenAPI document, with the LifecycleSpec as its body', async () => {
    const { body } = await call(`${first.url}/docs/json`);
    const route = body.paths['/v1/registry/connectors/{name}/versions/{version}/lifecycle'].post;
    expect(route.tags).toEqual(['registry']);
    expect(route.requestBody.content['application/json'].schema.properties.status.enum).toEqual([
      'active',
      'deprecated',
      'sunset',
    ]);
  });

  it('answers 404 for a version that was never published', async () => {
    const result = await lifecycle('acme-ledger@9.9.9', ['--status', 'deprecated', '--message', 'Moving.']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      '✗ the lifecycle of acme-ledger@9.9.9 was not set (HTTP 404 FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND):\n' +
        'acme-ledger@9.9.9 is not published; a lifecycle can only be set on a published version (publish it first, or change the lifecycle in its connector.json)\n',
    );
  });

  it('keeps each major on its own lifecycle: a new major stays active beside the sunset one', async () => {
    await setVersion('2.0.0');
    expect((await publish()).code).toBe(0);
    await secondRuns('2.0.0');
    const entry = await catalogEntry(second);
    expect(entry).toMatchObject({ major: 2, lifecycle: { status: 'active' } });
    expect(entry.versions).toEqual([
      expect.objectContaining({
        version: '1.0.0',
        major: 1,
        lifecycle: expect.objectContaining({ status: 'sunset' }),
      }),
      expect.objectContaining({
        version: '2.0.0',
        major: 2,
        lifecycle: expect.objectContaining({ status: 'active' }),
      }),
    ]);
    expect((await catalogEntry(second, '?major=1')).lifecycle).toMatchObject({ status: 'sunset' });
  });

  it('says so when the version is not the one its major runs, whose lifecycle the catalog keeps showing', async () => {
    await setVersion('2.1.0');
    expect((await publish()).code).toBe(0);
    const result = await lifecycle('acme-ledger@2.0.0', ['--status', 'deprecated', '--message', 'Use 2.1.']);
    expect(result.stdout).toBe(
      '✓ acme-ledger@2.0.0 is now deprecated; running runtimes show it in the catalog within seconds\n' +
        '  note: major 2 runs acme-ledger@2.1.0, whose own lifecycle the catalog shows; set it on that version too\n',
    );
    expect((await catalogEntry(first, '?major=2')).lifecycle).toMatchObject({ status: 'active' });
  });

  it('reactivates a version', async () => {
    const result = await lifecycle('acme-ledger@1.0.0', ['--status', 'active']);
    expect(result.code).toBe(0);
    expect((await secondShows('active', '?major=1')).lifecycle).toEqual({
      status: 'active',
      notice: 'Acme Ledger is active.',
    });
  });
});
