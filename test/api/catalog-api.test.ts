import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound, Ports } from '@flowcard/runtime';
import { metaAppEnv } from './support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from './support/start-test-runtime';
import { createWorkspaceFixture } from './support/workspace-fixture';

describe('the catalog API', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let ownerKey: string;
  let memberKey: string;
  let ownerId: string;
  let workspaceId: string;

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    const people = await createWorkspaceFixture(runtime, 'Acme', { owner: 'owner', member: 'member' });
    ownerKey = people.keys.owner;
    memberKey = people.keys.member;
    ownerId = people.ids.owner;
    workspaceId = people.workspaceId;
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('lists the installed connectors with their lifecycle', async () => {
    const { status, body } = await call(`${runtime.url}/v1/catalog/connectors`, { apiKey: memberKey });
    expect(status).toBe(200);
    const names = body.connectors.map((connector: { name: string }) => connector.name);
    expect(names).toEqual(expect.arrayContaining(['facebook-leads', 'facebook-pages', 'workplace']));
    const pages = body.connectors.find((connector: { name: string }) => connector.name === 'facebook-pages');
    expect(pages).toMatchObject({
      title: expect.any(String),
      major: 1,
      versions: [{ major: 1 }],
      lifecycle: { status: 'active' },
    });
  });

  it('says plainly that Workplace from Meta is sunset, with its dates', async () => {
    const { body } = await call(`${runtime.url}/v1/catalog/connectors`, { apiKey: memberKey });
    const workplace = body.connectors.find((connector: { name: string }) => connector.name === 'workplace');
    expect(workplace.lifecycle).toMatchObject({
      status: 'sunset',
      readOnlyAt: '2025-09-01',
      sunsetAt: '2026-06-01',
    });
    expect(workplace.lifecycle.notice).toBe(
      'Workplace from Meta is sunset: the service shut down on 2026-06-01. It went read-only on 2025-09-01.',
    );
  });

  it('describes a connector: configuration kinds with their schemas and who may create them, and every card', async () => {
    const { status, body } = await call(`${runtime.url}/v1/catalog/connectors/workplace`, {
      apiKey: memberKey,
    });
    expect(status).toBe(200);
    const kind = body.configurations.find(
      (configuration: { key: string }) => configuration.key === 'default',
    );
    expect(kind).toMatchObject({
      requiresRole: 'admin',
      auth: { kind: 'bearer' },
      secretFields: ['accessToken', 'appSecret'],
    });
    expect(kind.schema.properties.accessToken).toMatchObject({ type: 'string', 'x-secret': true });
    const card = body.cards.find((entry: { key: string }) => entry.key === 'post-to-group');
    expect(card).toMatchObject({
      ref: 'workplace/post-to-group@1',
      kind: 'action',
      input: { type: 'object' },
    });
  });

  it('never offers a default or an example value for a secret field', async () => {
    const { body } = await call(`${runtime.url}/v1/catalog/connectors`, { apiKey: memberKey });
    for (const { name } of body.connectors) {
      const detail = await call(`${runtime.url}/v1/catalog/connectors/${name}`, { apiKey: memberKey });
      for (const kind of detail.body.configurations) {
        for (const field of kind.secretFields) {
          expect(kind.schema.properties[field]).not.toHaveProperty('default');
          expect(kind.schema.properties[field]).not.toHaveProperty('examples');
        }
      }
    }
  });

  it('shows one card with its schemas, permissions and examples', async () => {
    const { status, body } = await call(
      `${runtime.url}/v1/catalog/connectors/facebook-pages/cards/list-pages`,
      { apiKey: memberKey },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      key: 'list-pages',
      ref: 'facebook-pages/list-pages@1',
      permissions: ['pages_show_list'],
      listsOptions: true,
    });
  });

  it('answers 404 with the connector or card that is missing', async () => {
    const connector = await call(`${runtime.url}/v1/catalog/connectors/nope`, { apiKey: memberKey });
    expect(connector.status).toBe(404);
    expect(connector.body.error).toEqual({
      code: 'FLOWCARD_ERR_CONNECTOR_NOT_FOUND',
      message: 'No connector named "nope" is installed',
    });
    const card = await call(`${runtime.url}/v1/catalog/connectors/workplace/cards/nope`, {
      apiKey: memberKey,
    });
    expect(card.body.error).toEqual({
      code: 'FLOWCARD_ERR_CARD_NOT_FOUND',
      message: 'Connector "workplace" has no card "nope"',
    });
  });

  describe('dynamic options', () => {
    let configurationId: string;

    beforeAll(async () => {
      const sealer = getBound(runtime.handle.container, Ports.secretSealer);
      const configurations = getBound(runtime.handle.container, Ports.configurations);
      const page = meta.fixtures.pages[0]!;
      const configuration = await configurations.create({
        workspaceId,
        connector: 'facebook-pages',
        kind: 'default',
        nickname: 'Main page',
        ownerId,
        values: { pageId: page.id, pageName: page.name, graphBaseUrl: meta.graphUrl, graphVersion: 'v25.0' },
        secrets: sealer.seal({
          accessToken: page.accessToken,
          userAccessToken: meta.fixtures.user.accessToken,
        }),
      });
      configurationId = configuration.id;
    });

    it('lists the choices of an x-options dropdown by running the options card with the configuration', async () => {
      const { status, body } = await call(`${runtime.url}/v1/catalog/options`, {
        method: 'POST',
        apiKey: ownerKey,
        body: { card: 'facebook-pages/list-pages@1', configurationId },
      });
      expect(status).toBe(200);
      expect(body.options).toEqual(
        expect.arrayContaining(meta.fixtures.pages.map((page) => ({ label: page.name, value: page.id }))),
      );
    });

    it('does not let a member use a configuration that is not shared with them', async () => {
      const { status, body } = await call(`${runtime.url}/v1/catalog/options`, {
        method: 'POST',
        apiKey: memberKey,
        body: { card: 'facebook-pages/list-pages@1', configurationId },
      });
      expect(status).toBe(404);
      expect(body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND');
    });

    it('says the configuration needs reconnecting when Meta refuses its token, without echoing the token', async () => {
      const sealer = getBound(runtime.handle.container, Ports.secretSealer);
      const configurations = getBound(runtime.handle.container, Ports.configurations);
      const staleToken = 'EAAB-stale-user-token-0123456789';
      const stale = await configurations.create({
        workspaceId,
        connector: 'facebook-pages',
        kind: 'default',
        nickname: 'Stale page',
        ownerId,
        values: { pageId: '1', graphBaseUrl: meta.graphUrl, graphVersion: 'v25.0' },
        secrets: sealer.seal({ accessToken: staleToken, userAccessToken: staleToken }),
      });
      const { status, body } = await call(`${runtime.url}/v1/catalog/options`, {
        method: 'POST',
        apiKey: ownerKey,
        body: { card: 'facebook-pages/list-pages@1', configurationId: stale.id },
      });
      expect(status).toBe(401);
      expect(body.error.code).toBe('FLOWCARD_ERR_AUTH_INVALID_TOKEN');
      expect(JSON.stringify(body)).not.toContain(staleToken);
    });

    it('refuses a card that lists no options', async () => {
      const { status, body } = await call(`${runtime.url}/v1/catalog/options`, {
        method: 'POST',
        apiKey: ownerKey,
        body: { card: 'facebook-pages/get-page@1', configurationId },
      });
      expect(status).toBe(400);
      expect(body.error).toEqual({
        code: 'FLOWCARD_ERR_CARD_NOT_OPTIONS',
        message: 'Card facebook-pages/get-page@1 does not list options: it has no "options" section',
      });
    });
  });
});
