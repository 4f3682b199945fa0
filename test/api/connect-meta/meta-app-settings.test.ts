import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound, Ports } from '@flowcard/runtime';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture } from '../support/workspace-fixture';

/**
 * The deployment's shared app here is one the emulator does not know, so a connection only works
 * once the workspace has set its own app (the emulator's): that proves which app is used.
 */
describe('the workspace Meta app settings', () => {
  const SHARED_APP_ID = '1234567890123';
  const SHARED_APP_SECRET = 'sharedAppSecretUnknownToMeta';
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let adminKey: string;
  let memberKey: string;

  const dialogClientId = async (): Promise<string> => {
    const started = await call(`${runtime.url}/v1/connect/meta/start`, {
      method: 'POST',
      apiKey: adminKey,
      body: { connector: 'facebook-pages' },
    });
    return new URL(started.body.url).searchParams.get('client_id')!;
  };

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, {
      env: { ...metaAppEnv(meta), META_APP_ID: SHARED_APP_ID, META_APP_SECRET: SHARED_APP_SECRET },
    });
    ({ admin: adminKey, member: memberKey } = (
      await createWorkspaceFixture(runtime, 'Acme', { admin: 'admin', member: 'member' })
    ).keys);
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it("uses the deployment's shared app by default", async () => {
    const { status, body } = await call(`${runtime.url}/v1/workspace/meta-app`, { apiKey: memberKey });
    expect(status).toBe(200);
    expect(body).toEqual({
      source: 'shared',
      appId: SHARED_APP_ID,
      appSecret: { set: true },
      updatedAt: null,
      updatedBy: null,
    });
    expect(await dialogClientId()).toBe(SHARED_APP_ID);
  });

  it('lets only an admin set the workspace app', async () => {
    const { status, body } = await call(`${runtime.url}/v1/workspace/meta-app`, {
      method: 'PUT',
      apiKey: memberKey,
      body: { appId: meta.app.id, appSecret: meta.app.secret },
    });
    expect(status).toBe(403);
    expect(body.error.code).toBe('FLOWCARD_ERR_ROLE_FORBIDDEN');
  });

  it('refuses an app id and secret that Meta does not accept', async () => {
    const { status, body } = await call(`${runtime.url}/v1/workspace/meta-app`, {
      method: 'PUT',
      apiKey: adminKey,
      body: { appId: meta.app.id, appSecret: 'wrongSecretForThisApp' },
    });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'FLOWCARD_ERR_META_APP_REJECTED',
      message: `Meta did not accept app ${meta.app.id} with this app secret (Graph error 1)`,
    });
  });

  it("stores the workspace's own app with its secret sealed and never returned, and connects with it", async () => {
    const { status, body } = await call(`${runtime.url}/v1/workspace/meta-app`, {
      method: 'PUT',
      apiKey: adminKey,
      body: { appId: meta.app.id, appSecret: meta.app.secret },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'workspace', appId: meta.app.id, appSecret: { set: true } });
    expect(JSON.stringify(body)).not.toContain(meta.app.secret);
    const raw = JSON.stringify(await getBound(runtime.handle.container, Ports.workspaces).list());
    expect(raw).not.toContain(meta.app.secret);

    expect(await dialogClientId()).toBe(meta.app.id);
    // The token exchange uses the workspace app too: with the shared (unknown) app it would fail.
    const started = await call(`${runtime.url}/v1/connect/meta/start`, {
      method: 'POST',
      apiKey: adminKey,
      body: { connector: 'facebook-pages' },
    });
    const back = (await fetch(started.body.url, { redirect: 'manual' })).headers.get('location')!;
    const connected = await fetch(back, {
      headers: { accept: 'application/json', 'x-flowcard-connect-session': started.body.sessionId },
    });
    expect(connected.status).toBe(200);
    expect(((await connected.json()) as { pages: unknown[] }).pages).toHaveLength(2);
  });

  it('switches back to the shared app', async () => {
    const { body } = await call(`${runtime.url}/v1/workspace/meta-app`, {
      method: 'DELETE',
      apiKey: adminKey,
    });
    expect(body).toMatchObject({ source: 'shared', appId: SHARED_APP_ID });
    expect(await dialogClientId()).toBe(SHARED_APP_ID);
  });

  it('never logged an app secret', () => {
    expect(runtime.logs()).not.toContain(meta.app.secret);
    expect(runtime.logs()).not.toContain(SHARED_APP_SECRET);
  });
});
