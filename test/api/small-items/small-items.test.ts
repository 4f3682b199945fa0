import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { mongoUri, uniqueName } from '../../support/env';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspace-fixture';

/** The "Smaller:" list of the connections issue: each fixed, each with the exact new wording. */
describe('small connection fixes', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let people: WorkspaceFixture<'owner' | 'member'>;

  const workplace = (nickname: string, token = meta.fixtures.workplace.adminToken) =>
    call(`${runtime.url}/v1/configurations`, {
      method: 'POST',
      apiKey: people.keys.owner,
      body: {
        connector: 'workplace',
        nickname,
        values: { accessToken: token, graphBaseUrl: meta.graphUrl, graphVersion: 'v25.0' },
      },
    });
  const scim = (nickname: string, instanceUrl: string, accessToken = meta.fixtures.scim.token) =>
    call(`${runtime.url}/v1/configurations`, {
      method: 'POST',
      apiKey: people.keys.owner,
      body: { connector: 'workplace', kind: 'scim', nickname, values: { instanceUrl, accessToken } },
    });

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    people = await createWorkspaceFixture(runtime, 'Acme', { owner: 'owner', member: 'member' });
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  describe('nicknames are normalised', () => {
    it('refuses a blank nickname', async () => {
      const { status, body } = await workplace('   ');
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_CONFIGURATION_NICKNAME_BLANK',
        message: 'The nickname must contain at least one visible character',
      });
    });

    it('trims "Acme WP " and refuses "acme  wp " beside it, also on rename', async () => {
      const created = await workplace('Acme WP ');
      expect(created.status).toBe(201);
      expect(created.body.nickname).toBe('Acme WP');
      const clash = await workplace('acme  wp ');
      expect(clash.status).toBe(409);
      expect(clash.body.error).toEqual({
        code: 'FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN',
        message:
          'You already have a workplace configuration named "Acme WP" in this workspace; choose another nickname',
      });
      const other = await workplace('Other WP');
      const renamed = await call(`${runtime.url}/v1/configurations/${other.body.id}`, {
        method: 'PATCH',
        apiKey: people.keys.owner,
        body: { nickname: ' ACME WP' },
      });
      expect(renamed.status).toBe(409);
      expect(renamed.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN');
    });
  });

  it('says a brand-new configuration\'s credentials were refused, not "no longer valid"', async () => {
    const { status, body } = await workplace('Bad token', 'DQWREMUnotARealToken');
    expect(status).toBe(422);
    expect(body.error.message).toBe(
      'The connection test (workplace/get-community@1) failed: The service refused these credentials (invalid token): Invalid OAuth access token - Cannot parse access token',
    );
  });

  it('reports a wrong SCIM URL as a wrong URL, not as an invalid token', async () => {
    const wrong = `${meta.graphUrl}/scim/wrong`;
    const { status, body } = await scim('Wrong URL', wrong);
    expect(status).toBe(422);
    expect(body.error.message).toBe(
      `The connection test (workplace/scim-list-users@1) failed: The instance URL ${wrong} does not answer like a SCIM 2.0 service (nothing at ${wrong}/ServiceProviderConfig): check the URL`,
    );
    expect(body.error.details[0].code).toBe('FLOWCARD_ERR_CONFIGURATION_URL_NOT_SCIM');
    // The right URL with a wrong token is still a token problem.
    const badToken = await scim('Bad SCIM token', `${meta.graphUrl}/scim/v2`, 'not-a-scim-token');
    expect(badToken.status).toBe(422);
    expect(badToken.body.error.details[0].code).toBe('FLOWCARD_ERR_AUTH_INVALID_TOKEN');
    expect(badToken.body.error.message).toContain('The service refused these credentials');
  });

  it('never writes the webhook verify token in request logs', async () => {
    const verifyToken = runtime.handle.config.metaWebhookVerifyToken;
    const good = await fetch(
      `${runtime.url}/v1/webhooks/meta?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${encodeURIComponent(verifyToken)}`,
    );
    expect(await good.text()).toBe('4242');
    const bad = await fetch(
      `${runtime.url}/v1/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guessed-verify-token-77`,
    );
    expect(bad.status).toBe(403);
    expect(runtime.logs()).toContain('hub.verify_token=[redacted]');
    expect(runtime.logs()).not.toContain(verifyToken);
    expect(runtime.logs()).not.toContain('guessed-verify-token-77');
  });

  it('answers a too-long URL part (414) in our error shape', async () => {
    const id = 'x'.repeat(150);
    const response = await fetch(`${runtime.url}/v1/configurations/${id}`, {
      headers: { authorization: `Bearer ${people.keys.owner}` },
    });
    expect(response.status).toBe(414);
    expect(await response.json()).toEqual({
      error: {
        code: 'FLOWCARD_ERR_URL_TOO_LONG',
        message: `A part of the URL ${`/v1/configurations/${id}`.slice(0, 80)}… is longer than 100 characters: no id or name is that long`,
      },
    });
  });

  it('keeps the audit trail of a deleted configuration for admins and its creator', async () => {
    const created = await workplace('To delete');
    const id = created.body.id as string;
    expect(
      (await call(`${runtime.url}/v1/configurations/${id}`, { method: 'DELETE', apiKey: people.keys.owner }))
        .status,
    ).toBe(204);
    const trail = await call(`${runtime.url}/v1/configurations/${id}/audit`, { apiKey: people.keys.owner });
    expect(trail.status).toBe(200);
    expect(trail.body.events.map((event: { action: string }) => event.action)).toEqual([
      'configuration.created',
      'configuration.deleted',
    ]);
    expect(
      (await call(`${runtime.url}/v1/configurations/${id}/audit`, { apiKey: people.keys.member })).status,
    ).toBe(404);
  });

  it('`flowcard admin create` prints the URL of the PORT it is given', async () => {
    const bin = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'flowcard.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'admin', 'create', '--email', 'port@example.com', '--workspace', 'Ports'],
      {
        timeout: 120_000,
        env: {
          PATH: process.env.PATH ?? '',
          MONGODB_URI: mongoUri(),
          FLOWCARD_MONGODB_DATABASE: uniqueName(__filename),
          PORT: '3517',
        },
      },
    );
    expect(stdout).toMatch(
      /^Try it: curl -H "Authorization: Bearer fc_\S+" http:\/\/localhost:3517\/v1\/me$/m,
    );
  });
});
