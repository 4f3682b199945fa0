import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound, Ports, RuntimeTokens } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { metaAppEnv } from '../support/meta-app-env';
import { startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture, type WorkspaceFixture } from '../support/workspace-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

/** Every response body of this file, to prove no route ever answered a secret. */
const answered: string[] = [];

async function api(
  url: string,
  init: { method?: string; apiKey?: string; body?: unknown } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.apiKey) headers.authorization = `Bearer ${init.apiKey}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  answered.push(text);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the configurations API', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let base: string;
  let keys: WorkspaceFixture<'owner' | 'admin' | 'member' | 'other'>['keys'];
  let ids: WorkspaceFixture<'owner' | 'admin' | 'member' | 'other'>['ids'];
  let fixtureTokens: string[];

  const workplaceValues = (token: string): Record<string, string> => ({
    accessToken: token,
    graphBaseUrl: meta.graphUrl,
    graphVersion: 'v25.0',
  });
  const pageValues = (): Record<string, string> => ({
    pageId: meta.fixtures.pages[0]!.id,
    pageName: meta.fixtures.pages[0]!.name,
    accessToken: meta.fixtures.pages[0]!.accessToken,
    graphBaseUrl: meta.graphUrl,
    graphVersion: 'v25.0',
  });
  const createWorkplace = (nickname: string, token = meta.control.workplaceToken(), apiKey = keys.owner) =>
    api(`${base}/v1/configurations`, {
      method: 'POST',
      apiKey,
      body: { connector: 'workplace', nickname, values: workplaceValues(token) },
    });

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    base = runtime.url;
    ({ keys, ids } = await createWorkspaceFixture(runtime, 'Acme', {
      owner: 'owner',
      admin: 'admin',
      member: 'member',
      other: 'member',
    }));
    fixtureTokens = [
      meta.fixtures.workplace.adminToken,
      meta.fixtures.pages[0]!.accessToken,
      meta.fixtures.app.secret,
    ];
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('refuses a member who tries to create a Workplace configuration, saying only an admin can', async () => {
    const { status, body } = await createWorkplace('Mine', meta.fixtures.workplace.adminToken, keys.member);
    expect(status).toBe(403);
    expect(body.error).toEqual({
      code: 'FLOWCARD_ERR_CONFIGURATION_ROLE_FORBIDDEN',
      message: 'Only an admin can create a Workplace from Meta configuration',
    });
  });

  it('creates a Workplace configuration after its connection test and shows secret fields only as { set }', async () => {
    const { status, body } = await createWorkplace('Acme Workplace');
    expect(status).toBe(201);
    expect(body).toMatchObject({
      connector: 'workplace',
      kind: 'default',
      nickname: 'Acme Workplace',
      ownerId: ids.owner,
      status: 'active',
      sharing: { mode: 'private', userIds: [] },
      values: {
        accessToken: { set: true },
        appSecret: { set: false },
        graphBaseUrl: meta.graphUrl,
        graphVersion: 'v25.0',
      },
    });
    const audit = await api(`${base}/v1/configurations/${body.id}/audit`, { apiKey: keys.owner });
    expect(audit.body.events.map((event: { action: string }) => event.action)).toEqual([
      'configuration.created',
    ]);
  });

  it('names the field that is missing or wrong, without echoing any value', async () => {
    const missing = await api(`${base}/v1/configurations`, {
      method: 'POST',
      apiKey: keys.owner,
      body: { connector: 'workplace', nickname: 'x', values: { graphBaseUrl: meta.graphUrl } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 'FLOWCARD_ERR_CONFIGURATION_INVALID',
      message: 'The configuration is invalid: "accessToken" is required',
    });
    const unknown = await api(`${base}/v1/configurations`, {
      method: 'POST',
      apiKey: keys.owner,
      body: {
        connector: 'workplace',
        nickname: 'x',
        values: { ...workplaceValues('t'), acessToken: 'secret-typo' },
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      '"acessToken" is not a field of Workplace from Meta (default)',
    );
    expect(unknown.body.error.message).not.toContain('secret-typo');
  });

  it('refuses to save a configuration whose connection test fails, with the classified error', async () => {
    const { status, body } = await createWorkplace('Broken', 'DQWREMUnotARealToken');
    expect(status).toBe(422);
    expect(body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_TEST_FAILED');
    expect(body.error.message).toMatch(/^The connection test \(workplace\/get-community@1\) failed: /);
    expect(body.error.details[0]).toMatchObject({ signal: 'auth' });
    expect(JSON.stringify(body)).not.toContain('DQWREMUnotARealToken');
  });

  it('lets only admins skip the connection test', async () => {
    const byMember = await api(`${base}/v1/configurations?test=false`, {
      method: 'POST',
      apiKey: keys.member,
      body: { connector: 'facebook-pages', nickname: 'Bakery', values: pageValues() },
    });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_TEST_SKIP_FORBIDDEN');
    const byAdmin = await createWorkplaceUntested('Untested', 'DQWREMUnotARealToken');
    expect(byAdmin.status).toBe(201);
  });

  function createWorkplaceUntested(nickname: string, token: string) {
    return api(`${base}/v1/configurations?test=false`, {
      method: 'POST',
      apiKey: keys.admin,
      body: { connector: 'workplace', nickname, values: workplaceValues(token) },
    });
  }

  it('keeps nicknames unique per workspace, connector and owner (409)', async () => {
    await createWorkplace('Twice');
    const again = await createWorkplace('Twice');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN');
    // Another owner may use the same nickname.
    expect(
      (
        await api(`${base}/v1/configurations?test=false`, {
          method: 'POST',
          apiKey: keys.admin,
          body: {
            connector: 'workplace',
            nickname: 'Twice',
            values: workplaceValues(meta.fixtures.workplace.adminToken),
          },
        })
      ).status,
    ).toBe(201);
  });

  describe('sharing', () => {
    let id: string;
    beforeAll(async () => {
      id = (await createWorkplace('Shared later')).body.id;
    });

    it('hides a private configuration from a member: 404 as for an unknown id, absent from their list, not testable', async () => {
      expect((await api(`${base}/v1/configurations/${id}`, { apiKey: keys.member })).status).toBe(404);
      expect(
        (await api(`${base}/v1/configurations/${id}/test`, { method: 'POST', apiKey: keys.member })).status,
      ).toBe(404);
      const list = await api(`${base}/v1/configurations?connector=workplace`, { apiKey: keys.member });
      expect(list.body.configurations.map((c: { id: string }) => c.id)).not.toContain(id);
    });

    it('lets a named user use it once shared with them, but not manage it', async () => {
      const shared = await api(`${base}/v1/configurations/${id}/sharing`, {
        method: 'PUT',
        apiKey: keys.owner,
        body: { mode: 'users', userIds: [ids.member] },
      });
      expect(shared.status).toBe(200);
      expect(shared.body.sharing).toEqual({ mode: 'users', userIds: [ids.member] });
      const list = await api(`${base}/v1/configurations?connector=workplace`, { apiKey: keys.member });
      expect(list.body.configurations.map((c: { id: string }) => c.id)).toContain(id);
      expect(
        (await api(`${base}/v1/configurations/${id}/test`, { method: 'POST', apiKey: keys.member })).body,
      ).toEqual({ ok: true, card: 'workplace/get-community@1' });
      expect((await api(`${base}/v1/configurations/${id}`, { apiKey: keys.other })).status).toBe(404);
      const rename = await api(`${base}/v1/configurations/${id}`, {
        method: 'PATCH',
        apiKey: keys.member,
        body: { nickname: 'Hijacked' },
      });
      expect(rename.status).toBe(403);
      expect(rename.body.error.message).toBe(
        'Only the owner of this configuration or a workspace admin can update it',
      );
      expect(
        (await api(`${base}/v1/configurations/${id}`, { method: 'DELETE', apiKey: keys.member })).status,
      ).toBe(403);
    });

    it('shares with the whole workspace, and unsharing hides it again', async () => {
      await api(`${base}/v1/configurations/${id}/sharing`, {
        method: 'PUT',
        apiKey: keys.admin,
        body: { mode: 'workspace' },
      });
      expect((await api(`${base}/v1/configurations/${id}`, { apiKey: keys.other })).status).toBe(200);
      await api(`${base}/v1/configurations/${id}/sharing`, {
        method: 'PUT',
        apiKey: keys.owner,
        body: { mode: 'private' },
      });
      expect((await api(`${base}/v1/configurations/${id}`, { apiKey: keys.other })).status).toBe(404);
      expect((await api(`${base}/v1/configurations/${id}`, { apiKey: keys.member })).status).toBe(404);
    });

    it('refuses to share with someone outside the workspace', async () => {
      const { status, body } = await api(`${base}/v1/configurations/${id}/sharing`, {
        method: 'PUT',
        apiKey: keys.owner,
        body: { mode: 'users', userIds: ['nobody'] },
      });
      expect(status).toBe(400);
      expect(body.error.message).toBe('User nobody is not a member of this workspace');
    });
  });

  describe('transfer', () => {
    it('does not hand a Workplace configuration to a member, who could not have created it', async () => {
      const id = (await createWorkplace('Keep admin')).body.id;
      const { status, body } = await api(`${base}/v1/configurations/${id}/transfer`, {
        method: 'POST',
        apiKey: keys.owner,
        body: { userId: ids.member },
      });
      expect(status).toBe(403);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_CONFIGURATION_TRANSFER_ROLE_FORBIDDEN',
        message:
          'A Workplace custom integration configuration can only be owned by an admin or higher; the new owner is a member',
      });
    });

    it('says a SCIM configuration cannot go to a member in words about owning, not creating', async () => {
      const created = await api(`${base}/v1/configurations?test=false`, {
        method: 'POST',
        apiKey: keys.owner,
        body: {
          connector: 'workplace',
          kind: 'scim',
          nickname: 'SCIM to transfer',
          values: { instanceUrl: `${meta.graphUrl}/scim/v2`, accessToken: 'not-checked' },
        },
      });
      expect(created.status).toBe(201);
      const { status, body } = await api(`${base}/v1/configurations/${created.body.id}/transfer`, {
        method: 'POST',
        apiKey: keys.owner,
        body: { userId: ids.member },
      });
      expect(status).toBe(403);
      expect(body.error.message).toBe(
        'A SCIM 2.0 provisioning configuration can only be owned by an admin or higher; the new owner is a member',
      );
    });

    it('gives a Page configuration to another admin, who then owns and manages it, and never to a member', async () => {
      const created = await api(`${base}/v1/configurations`, {
        method: 'POST',
        apiKey: keys.owner,
        body: { connector: 'facebook-pages', nickname: 'Bakery', values: pageValues() },
      });
      expect(created.status).toBe(201);
      const refused = await api(`${base}/v1/configurations/${created.body.id}/transfer`, {
        method: 'POST',
        apiKey: keys.owner,
        body: { userId: ids.member },
      });
      expect(refused.body.error.message).toBe(
        'A Facebook Page configuration can only be owned by an admin or higher; the new owner is a member',
      );
      const moved = await api(`${base}/v1/configurations/${created.body.id}/transfer`, {
        method: 'POST',
        apiKey: keys.owner,
        body: { userId: ids.admin },
      });
      expect(moved.body.ownerId).toBe(ids.admin);
      expect(
        (
          await api(`${base}/v1/configurations/${created.body.id}`, {
            method: 'PATCH',
            apiKey: keys.admin,
            body: { nickname: 'Bakery (mine)' },
          })
        ).body.nickname,
      ).toBe('Bakery (mine)');
    });
  });

  it('sees a rotated Workplace token at the next card run, through the resolver', async () => {
    const { body: created } = await createWorkplace('Rotating');
    const resolver = getBound(runtime.handle.container, ConfigurationTokens.resolver);
    expect((await resolver.resolve(created.id)).secrets.accessToken).toBe(meta.fixtures.workplace.adminToken);

    const rotated = meta.control.rotateWorkplaceToken();
    fixtureTokens.push(rotated);
    const stale = await api(`${base}/v1/configurations/${created.id}/test`, {
      method: 'POST',
      apiKey: keys.owner,
    });
    expect(stale.body).toMatchObject({ ok: false, error: { signal: 'auth' } });

    const updated = await api(`${base}/v1/configurations/${created.id}`, {
      method: 'PATCH',
      apiKey: keys.owner,
      body: { values: { accessToken: rotated } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.values.accessToken).toEqual({ set: true });
    expect(updated.body.id).toBe(created.id);
    expect(
      (await resolver.resolve(created.id, { userId: ids.owner, workspaceId: await workspaceOf() })).secrets
        .accessToken,
    ).toBe(rotated);
    const fresh = await api(`${base}/v1/configurations/${created.id}/test`, {
      method: 'POST',
      apiKey: keys.owner,
    });
    expect(fresh.body).toEqual({ ok: true, card: 'workplace/get-community@1' });

    const actions = (
      await api(`${base}/v1/configurations/${created.id}/audit`, { apiKey: keys.owner })
    ).body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'configuration.created',
      'configuration.tested',
      'configuration.rotated',
      'configuration.tested',
    ]);
  });

  async function workspaceOf(): Promise<string> {
    return (await getBound(runtime.handle.container, Ports.users).findById(ids.owner))!.memberships[0]!
      .workspaceId;
  }

  it('drops a changed configuration from the cache of every other process (Redis invalidation)', async () => {
    const second = await startTestRuntime(__filename, {
      env: {
        META_APP_ID: meta.app.id,
        META_APP_SECRET: meta.app.secret,
        META_GRAPH_URL: meta.graphUrl,
        META_DIALOG_URL: meta.dialogUrl,
        FLOWCARD_MONGODB_DATABASE: runtime.handle.config.mongodbDatabase,
        FLOWCARD_REDIS_PREFIX: runtime.handle.config.redisPrefix,
        FLOWCARD_MASTER_KEYS: runtime.handle.config.masterKeys
          .map((key) => `${key.id}:${key.key.toString('base64')}`)
          .join(','),
      },
    });
    try {
      const { body: created } = await createWorkplace('Two processes');
      const otherResolver = getBound(second.handle.container, ConfigurationTokens.resolver);
      expect((await otherResolver.resolve(created.id)).secrets.accessToken).toBe(
        meta.control.workplaceToken(),
      );
      const rotated = meta.control.rotateWorkplaceToken();
      fixtureTokens.push(rotated);
      await api(`${base}/v1/configurations/${created.id}?test=false`, {
        method: 'PATCH',
        apiKey: keys.owner,
        body: { values: { accessToken: rotated } },
      });
      let seen = '';
      for (let attempt = 0; attempt < 50 && seen !== rotated; attempt += 1) {
        seen = (await otherResolver.resolve(created.id)).secrets.accessToken ?? '';
        if (seen !== rotated) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toBe(rotated);
    } finally {
      await second.stop();
    }
  });

  it('deletes a configuration for its owner; it is gone afterwards', async () => {
    const { body: created } = await createWorkplace('Short-lived');
    expect(
      (await api(`${base}/v1/configurations/${created.id}`, { method: 'DELETE', apiKey: keys.owner })).status,
    ).toBe(204);
    expect((await api(`${base}/v1/configurations/${created.id}`, { apiKey: keys.owner })).status).toBe(404);
  });

  it('never answered a secret through any route of this file', () => {
    expect(answered.length).toBeGreaterThan(30);
    for (const body of answered) for (const token of fixtureTokens) expect(body).not.toContain(token);
  });

  it('keeps no plaintext token in the raw MongoDB documents', async () => {
    const connection = getBound(runtime.handle.container, RuntimeTokens.mongoConnection);
    const documents = await connection.db!.collection('configurations').find({}).toArray();
    expect(documents.length).toBeGreaterThan(5);
    const raw = JSON.stringify(documents);
    expect(raw).toContain('ciphertext');
    for (const token of fixtureTokens) expect(raw).not.toContain(token);
  });

  it('wrote no secret into the logs', () => {
    for (const token of fixtureTokens) expect(runtime.logs()).not.toContain(token);
  });
});
