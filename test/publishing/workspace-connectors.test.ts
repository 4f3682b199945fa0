import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packConnector, type PackedConnector } from '@flowcard/engine';
import { call, startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { createWorkspaceFixture } from '../api/support/workspace-fixture';
import { editJsonFile } from './support/edit-json-file';
import { runFlowcard } from './run-flowcard';

// Two workspaces on one runtime. Workspace A is the deployment's first, so its owner operates the
// deployment (FLOWCARD_OPERATORS is unset). A's admin publishes a connector for A alone; B must
// never see, configure, use in a flow, or change it. Only the operator installs connectors for
// every workspace, and a name belongs to one scope. Everything goes through the HTTP API (and the
// CLI for the --workspace/--deployment flags).
let api: TestRuntime;
let scratch: string;
let template: string;
const keys: Record<'owner' | 'admin' | 'member' | 'other', string> = {
  owner: '',
  admin: '',
  member: '',
  other: '',
};
let workspaceA = '';

beforeAll(async () => {
  api = await startTestRuntime(__filename, { env: { LOG_LEVEL: 'warn' } });
  const a = await createWorkspaceFixture(api, 'Workspace A', {
    owner: 'owner',
    admin: 'admin',
    member: 'member',
  });
  const b = await createWorkspaceFixture(api, 'Workspace B', { other: 'admin' });
  keys.owner = a.keys.owner;
  keys.admin = a.keys.admin;
  keys.member = a.keys.member;
  keys.other = b.keys.other;
  workspaceA = a.workspaceId;
  scratch = await mkdtemp(join(tmpdir(), 'flowcard-workspace-connectors-'));
  const init = await runFlowcard(['connector', 'init', 'template-crm', '--dir', scratch]);
  if (init.code !== 0) throw new Error(`connector init failed: ${init.stderr}`);
  template = join(scratch, 'template-crm');
}, 120_000);

afterAll(async () => {
  await api?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The scaffolded connector renamed (and versioned), as a folder and as a packed bundle. */
async function connector(name: string, version = '1.0.0'): Promise<{ dir: string; bundle: PackedConnector }> {
  const dir = join(scratch, `${name}-${version}`);
  await cp(template, dir, { recursive: true });
  await editJsonFile(join(dir, 'connector.json'), (manifest) => {
    manifest.name = name;
    manifest.version = version;
  });
  const packed = await packConnector(dir);
  if (!packed.bundle) throw new Error(`pack failed: ${JSON.stringify(packed.problems)}`);
  return { dir, bundle: packed.bundle };
}

const as = (who: keyof typeof keys, path: string, init: { method?: string; body?: unknown } = {}) =>
  call(`${api.url}${path}`, { ...init, apiKey: keys[who] });

const publish = async (who: keyof typeof keys, bundle: PackedConnector, scope?: 'workspace' | 'deployment') =>
  as(who, `/v1/registry/connectors${scope ? `?scope=${scope}` : ''}`, { method: 'POST', body: bundle });

const catalogNames = async (who: keyof typeof keys): Promise<Array<[string, string]>> =>
  ((await as(who, '/v1/catalog/connectors')).body.connectors as Array<{ name: string; scope: string }>).map(
    (entry) => [entry.name, entry.scope],
  );

describe("a workspace's own connector", () => {
  beforeAll(async () => {
    const published = await publish('admin', (await connector('a-crm')).bundle);
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ name: 'a-crm', version: '1.0.0', scope: 'workspace' });
  });

  it("appears in its workspace's catalog only", async () => {
    expect(await catalogNames('admin')).toContainEqual(['a-crm', 'workspace']);
    expect(await catalogNames('member')).toContainEqual(['a-crm', 'workspace']);
    expect((await catalogNames('other')).map(([name]) => name)).not.toContain('a-crm');
    expect(await catalogNames('other')).toContainEqual(['workplace', 'deployment']);

    const detail = await as('other', '/v1/catalog/connectors/a-crm');
    expect(detail.status).toBe(404);
    expect(detail.body.error.code).toBe('FLOWCARD_ERR_CONNECTOR_NOT_FOUND');
    expect((await as('other', '/v1/catalog/connectors/a-crm/cards/get-me')).status).toBe(404);
    expect((await as('admin', '/v1/catalog/connectors/a-crm/cards/get-me')).status).toBe(200);
  });

  it('lists its versions to its workspace and none to another', async () => {
    const own = await as('admin', '/v1/registry/connectors/a-crm');
    expect(own.body.versions).toEqual([expect.objectContaining({ version: '1.0.0', scope: 'workspace' })]);
    const other = await as('other', '/v1/registry/connectors/a-crm');
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ name: 'a-crm', versions: [] });
  });

  it('cannot be configured, used in a flow, or asked for options by another workspace', async () => {
    const configuration = await as('other', '/v1/configurations', {
      method: 'POST',
      body: {
        connector: 'a-crm',
        nickname: 'Stolen',
        values: { accessToken: 't', baseUrl: 'http://127.0.0.1:9' },
      },
    });
    expect(configuration.status).toBe(404);
    expect(configuration.body.error).toMatchObject({
      code: 'FLOWCARD_ERR_CONNECTOR_NOT_FOUND',
      message: 'No connector named "a-crm" is installed',
    });

    const flow = await as('other', '/v1/flows', {
      method: 'POST',
      body: {
        spec: {
          name: 'Uses A',
          trigger: { card: 'a-crm/get-me@1', configurationId: 'none' },
          steps: [{ id: 'me', card: 'a-crm/get-me@1', configurationId: 'none', input: {} }],
        },
      },
    });
    expect(flow.status).toBe(422);
    expect(flow.body.error.details).toContainEqual(
      expect.objectContaining({
        path: '/spec/steps/0/card',
        code: 'FLOWCARD_ERR_FLOW_CARD_UNKNOWN',
        message: expect.stringContaining(
          'card "a-crm/get-me@1" is not loaded: no connector "a-crm" is loaded',
        ),
      }),
    );

    const options = await as('other', '/v1/catalog/options', {
      method: 'POST',
      body: { card: 'a-crm/get-me@1', configurationId: 'none', input: {} },
    });
    expect(options.status).toBe(404);
    expect(options.body.error.code).toBe('FLOWCARD_ERR_CARD_NOT_FOUND');
  });

  it("has its lifecycle changed by its workspace's admins only", async () => {
    const deprecate = { status: 'deprecated', message: 'Use a-crm 2.' };
    const path = '/v1/registry/connectors/a-crm/versions/1.0.0/lifecycle';
    const fromOther = await as('other', path, { method: 'POST', body: deprecate });
    expect(fromOther.status).toBe(404);
    expect(fromOther.body.error.code).toBe('FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND');
    const fromMember = await as('member', path, { method: 'POST', body: deprecate });
    expect(fromMember.status).toBe(403);
    expect(fromMember.body.error.code).toBe('FLOWCARD_ERR_ROLE_FORBIDDEN');
    const detailBefore = await as('admin', '/v1/catalog/connectors/a-crm');
    expect(detailBefore.body.lifecycle.status).toBe('active');

    const fromAdmin = await as('admin', path, { method: 'POST', body: deprecate });
    expect(fromAdmin.status).toBe(200);
    expect((await as('admin', '/v1/catalog/connectors/a-crm')).body.lifecycle.status).toBe('deprecated');
  });
});

describe('a deployment connector', () => {
  it('is installed by the deployment operator only, and every workspace sees it', async () => {
    const { bundle } = await connector('shared-crm');
    const fromAdmin = await publish('admin', bundle, 'deployment');
    expect(fromAdmin.status).toBe(403);
    expect(fromAdmin.body.error).toMatchObject({
      code: 'FLOWCARD_ERR_OPERATOR_REQUIRED',
      message:
        "Only the deployment operator may install connectors for every workspace (the operator: the owners of the deployment's first workspace); a workspace admin publishes to their own workspace with scope=workspace",
    });
    const fromOwnerOfB = await publish('other', bundle, 'deployment');
    expect(fromOwnerOfB.status).toBe(403);

    const fromOperator = await publish('owner', bundle, 'deployment');
    expect(fromOperator.status).toBe(201);
    expect(fromOperator.body.scope).toBe('deployment');
    expect(await catalogNames('other')).toContainEqual(['shared-crm', 'deployment']);
    expect(await catalogNames('member')).toContainEqual(['shared-crm', 'deployment']);
  });

  it("has its lifecycle changed by the operator only, not by a workspace's admin", async () => {
    const path = '/v1/registry/connectors/shared-crm/versions/1.0.0/lifecycle';
    const fromAdmin = await as('other', path, {
      method: 'POST',
      body: { status: 'deprecated', message: 'Use another CRM.' },
    });
    expect(fromAdmin.status).toBe(403);
    expect(fromAdmin.body.error.code).toBe('FLOWCARD_ERR_OPERATOR_REQUIRED');
    const fromOperator = await as('owner', path, {
      method: 'POST',
      body: { status: 'deprecated', message: 'Use another CRM.' },
    });
    expect(fromOperator.status).toBe(200);
  });
});

describe('connector names', () => {
  it.each([
    [
      'a deployment connector',
      'other',
      'shared-crm',
      undefined,
      'belongs to a connector the deployment installed for every workspace',
    ],
    [
      'a shipped connector',
      'other',
      'workplace',
      undefined,
      'belongs to a connector the deployment installed for every workspace',
    ],
    ["another workspace's connector", 'other', 'a-crm', undefined, 'is taken by another connector'],
  ] as const)('refuses a workspace connector named like %s', async (_what, who, name, scope, reason) => {
    const answer = await publish(who, (await connector(name, '9.0.0')).bundle, scope);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({
      code: 'FLOWCARD_ERR_PUBLISH_NAME_TAKEN',
      message: `connector name "${name}" ${reason}; choose another name`,
    });
  });

  it("refuses a deployment connector named like a workspace's own, naming the workspace to the operator", async () => {
    const answer = await publish('owner', (await connector('a-crm', '9.0.0')).bundle, 'deployment');
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toBe(
      `connector name "a-crm" belongs to a connector workspace ${workspaceA} published for itself; choose another name`,
    );
  });
});

describe('flowcard connector publish --workspace | --deployment', () => {
  it('publishes to the workspace by default and installs for every workspace with --deployment', async () => {
    const { dir } = await connector('cli-crm');
    const refused = await runFlowcard([
      'connector',
      'publish',
      dir,
      '--deployment',
      '--api',
      api.url,
      '--key',
      keys.admin,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FLOWCARD_ERR_OPERATOR_REQUIRED');
    const own = await runFlowcard([
      'connector',
      'publish',
      dir,
      '--workspace',
      '--api',
      api.url,
      '--key',
      keys.admin,
    ]);
    expect(own.stdout).toBe(
      '✓ published cli-crm@1.0.0 to this workspace; running runtimes load it within seconds\n',
    );
    const { dir: shared } = await connector('cli-shared');
    const deployed = await runFlowcard([
      'connector',
      'publish',
      shared,
      '--deployment',
      '--api',
      api.url,
      '--key',
      keys.owner,
    ]);
    expect(deployed.stdout).toBe(
      '✓ published cli-shared@1.0.0 for every workspace; running runtimes load it within seconds\n',
    );
    expect(await catalogNames('other')).toContainEqual(['cli-shared', 'deployment']);
    expect((await catalogNames('other')).map(([name]) => name)).not.toContain('cli-crm');
  });
});
