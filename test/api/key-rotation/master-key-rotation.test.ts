import { spawnSync } from 'node:child_process';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { createMongoStore } from '@flowcard/store';
import { mongoUri, redisUrl, uniqueName } from '../../support/env';
import { flowcardBin, startFlowcardProcess, type FlowcardProcess } from '../../support/flowcard-process';
import { captureEnv, repositoryRoot } from '../../support/log-capture';
import { openNamedTestDatabase, type TestDatabase } from '../../support/mongo';
import { masterKeysEnv, testMasterKeys } from '../../support/test-master-keys';
import { call } from '../support/start-test-runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

interface SealedDocument {
  readonly _id: unknown;
  readonly secrets?: { readonly keyId: string } | null;
  readonly metaApp?: { readonly appSecret?: { readonly keyId: string } } | null;
}

/**
 * docs/architecture.md §4, over real processes: a deployment seals everything under k1, `flowcard keys rotate`
 * re-wraps it under k2, and a runtime that knows only k2 still uses every configuration (and the
 * workspace's own Meta app secret).
 */
describe('rotating the master key', () => {
  jest.setTimeout(240_000);

  const database = uniqueName(__filename);
  let meta: MetaEmulator;
  let raw: TestDatabase;
  let runtime: FlowcardProcess | undefined;
  let apiKey: string;
  const ids = { workplace: '', secondWorkplace: '', bakery: '', bikes: '' };

  /** The runtime as an operator runs it: `flowcard api`, this database, the given keys only. */
  const startApi = async (keys: Record<string, string>): Promise<FlowcardProcess> => {
    runtime = await startFlowcardProcess('api', {
      MONGODB_URI: mongoUri(),
      FLOWCARD_MONGODB_DATABASE: database,
      REDIS_URL: redisUrl(),
      FLOWCARD_REDIS_PREFIX: database,
      HOST: '127.0.0.1',
      META_APP_ID: meta.app.id,
      META_APP_SECRET: meta.app.secret,
      META_GRAPH_URL: meta.graphUrl,
      META_DIALOG_URL: meta.dialogUrl,
      ...keys,
    });
    return runtime;
  };
  const stopApi = async (): Promise<void> => {
    await runtime?.stop();
    runtime = undefined;
  };
  const api = (
    path: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: Json }> => call(`${runtime!.url}${path}`, { ...init, apiKey });

  const connectMeta = async (): Promise<Json> => {
    const started = await api('/v1/connect/meta/start', {
      method: 'POST',
      body: { connector: 'facebook-pages' },
    });
    expect(started.status).toBe(200);
    const back = (await fetch(started.body.url, { redirect: 'manual' })).headers.get('location')!;
    const connected = await fetch(back, {
      headers: { accept: 'application/json', 'x-flowcard-connect-session': started.body.sessionId },
    });
    expect(connected.status).toBe(200);
    return connected.json();
  };

  const sealedDocuments = async (): Promise<Array<{ collection: string; keyId: string }>> => {
    const sealed: Array<{ collection: string; keyId: string }> = [];
    for (const collection of ['configurations', 'workspaces']) {
      const documents = (await raw.connection
        .db!.collection(collection)
        .find({})
        .toArray()) as unknown as SealedDocument[];
      for (const document of documents) {
        if (document.secrets) sealed.push({ collection, keyId: document.secrets.keyId });
        if (document.metaApp?.appSecret) sealed.push({ collection, keyId: document.metaApp.appSecret.keyId });
      }
    }
    return sealed;
  };

  beforeAll(async () => {
    meta = await startMetaEmulator();
    raw = await openNamedTestDatabase(database);
    // Registers the store's models on this connection, so closing it empties every collection.
    createMongoStore(raw.connection);

    await startApi({ FLOWCARD_MASTER_KEYS: masterKeysEnv('k1') });
    const bootstrap = await call(`${runtime!.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'owner@example.com', workspace: 'Rotation' },
    });
    expect(bootstrap.status).toBe(201);
    apiKey = bootstrap.body.apiKey;

    for (const [name, nickname] of [
      ['workplace', 'HR Workplace'],
      ['secondWorkplace', 'Comms Workplace'],
    ] as const) {
      const created = await api('/v1/configurations', {
        method: 'POST',
        body: {
          connector: 'workplace',
          nickname,
          values: {
            accessToken: meta.fixtures.workplace.adminToken,
            graphBaseUrl: meta.graphUrl,
            graphVersion: 'v25.0',
          },
        },
      });
      expect(created.status).toBe(201);
      ids[name] = created.body.id;
    }
    // The workspace's own Meta app: its secret is sealed too, and Connect Meta then uses it.
    const app = await api('/v1/workspace/meta-app', {
      method: 'PUT',
      body: { appId: meta.app.id, appSecret: meta.app.secret },
    });
    expect(app.status).toBe(200);
    await connectMeta();
    const pages = (await api('/v1/configurations?connector=facebook-pages')).body.configurations;
    ids.bakery = pages.find((page: Json) => page.nickname === 'Flowcard Bakery').id;
    ids.bikes = pages.find((page: Json) => page.nickname === 'Flowcard Bikes').id;
    await stopApi();
  });

  afterAll(async () => {
    await stopApi();
    await raw?.close();
    await meta?.close();
  });

  it('sealed every configuration and the workspace app secret under k1 before the rotation', async () => {
    const sealed = await sealedDocuments();
    expect(sealed).toHaveLength(5);
    expect(new Set(sealed.map((document) => document.keyId))).toEqual(new Set(['k1']));
  });

  it('cannot open k1 records with only k2 configured, and says which key id is missing without showing a key', async () => {
    await startApi({ FLOWCARD_MASTER_KEYS: masterKeysEnv('k2') });
    const tested = await api(`/v1/configurations/${ids.workplace}/test`, { method: 'POST' });
    expect(tested.status).toBe(500);
    expect(tested.body.error).toEqual({
      code: 'FLOWCARD_ERR_SECRETS_UNKNOWN_KEY',
      message:
        'Encryption key "k1" is not configured: add it to FLOWCARD_MASTER_KEYS (a key must stay configured until `flowcard keys rotate` has re-wrapped everything sealed with it)',
    });
    const options = await api('/v1/catalog/options', {
      method: 'POST',
      body: { card: 'facebook-pages/list-pages@1', configurationId: ids.bakery },
    });
    expect(options.body.error.code).toBe('FLOWCARD_ERR_SECRETS_UNKNOWN_KEY');
    for (const answer of [tested, options]) {
      expect(JSON.stringify(answer.body)).not.toContain(testMasterKeys.k1);
      expect(JSON.stringify(answer.body)).not.toContain(testMasterKeys.k2);
    }
    await stopApi();
  });

  it('re-wraps everything under k2 with `flowcard keys rotate` and reports nothing failed', async () => {
    const rotated = spawnSync(process.execPath, [flowcardBin, 'keys', 'rotate'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...captureEnv(),
        MONGODB_URI: `${mongoUri().replace(/\/?(\?|$)/, `/${database}$1`)}`,
        FLOWCARD_MASTER_KEYS: masterKeysEnv('k1', 'k2'),
        FLOWCARD_MASTER_KEY_ID: 'k2',
      },
    });
    expect({ status: rotated.status, stderr: rotated.stderr }).toEqual({ status: 0, stderr: '' });
    expect(rotated.stdout).toContain('Key rotation to "k2": 5 re-wrapped');
    expect(rotated.stdout).toContain('0 failed, of 5.');
    const sealed = await sealedDocuments();
    expect(sealed).toHaveLength(5);
    expect(new Set(sealed.map((document) => document.keyId))).toEqual(new Set(['k2']));
  });

  describe('a runtime that knows only k2', () => {
    beforeAll(async () => {
      await startApi({ FLOWCARD_MASTER_KEYS: masterKeysEnv('k2') });
    });
    afterAll(stopApi);

    it('passes the connection test of every configuration', async () => {
      for (const id of Object.values(ids)) {
        const tested = await api(`/v1/configurations/${id}/test`, { method: 'POST' });
        expect({ id, status: tested.status, ok: tested.body.ok }).toEqual({ id, status: 200, ok: true });
      }
    });

    it('runs options cards with the Workplace and the Page tokens', async () => {
      const groups = await api('/v1/catalog/options', {
        method: 'POST',
        body: { card: 'workplace/list-groups@1', configurationId: ids.secondWorkplace },
      });
      expect(groups.status).toBe(200);
      expect(groups.body.options).toEqual(
        expect.arrayContaining(
          meta.fixtures.workplace.groups.map((group) => ({ label: group.name, value: group.id })),
        ),
      );
      const pages = await api('/v1/catalog/options', {
        method: 'POST',
        body: { card: 'facebook-pages/list-pages@1', configurationId: ids.bakery },
      });
      expect(pages.status).toBe(200);
      expect(pages.body.options).toEqual(
        expect.arrayContaining(meta.fixtures.pages.map((page) => ({ label: page.name, value: page.id }))),
      );
    });

    it("still opens the workspace's own Meta app secret: re-connecting the Pages works and keeps their ids", async () => {
      expect((await api('/v1/workspace/meta-app')).body).toMatchObject({
        source: 'workspace',
        appSecret: { set: true },
      });
      const reconnected = await connectMeta();
      expect(reconnected.pages.map((page: Json) => page.reauthorized)).toEqual([true, true]);
      const pages = (await api('/v1/configurations?connector=facebook-pages')).body.configurations;
      expect(pages.map((page: Json) => page.id).sort()).toEqual([ids.bakery, ids.bikes].sort());
      expect(new Set((await sealedDocuments()).map((document) => document.keyId))).toEqual(new Set(['k2']));
    });
  });
});
