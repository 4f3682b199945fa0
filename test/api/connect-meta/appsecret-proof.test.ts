import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound, Ports } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { connectThroughMeta } from '../support/connect-through-meta';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture } from '../support/workspace-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

/**
 * Meta apps with "Require app secret proof" refuse user and page token calls without a valid
 * appsecret_proof. Connect Meta configurations store no app secret: the resolver (flows) and the
 * connection test add the secret of the app that issued the token (MetaAppSecretSupplier).
 */
describe('appsecret_proof for Connect Meta configurations', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let apiKey: string;
  let bakeryId: string;

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, { env: metaAppEnv(meta) });
    apiKey = (await createWorkspaceFixture(runtime, 'Proof', { owner: 'owner' })).keys.owner;
    await connectThroughMeta(runtime, apiKey);
    const pages = (await call(`${runtime.url}/v1/configurations?connector=facebook-pages`, { apiKey })).body
      .configurations as Json[];
    bakeryId = pages.find((page) => page.nickname === 'Flowcard Bakery').id;
    // Switched on after connecting: this file is about card calls, not the OAuth exchange.
    meta.control.requireAppsecretProof(true);
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('passes the connection test of a Page configuration when Meta requires the proof', async () => {
    const tested = await call(`${runtime.url}/v1/configurations/${bakeryId}/test`, {
      method: 'POST',
      apiKey,
    });
    expect(tested.body).toEqual({ ok: true, card: 'facebook-pages/get-page@1' });
  });

  it('runs a card with the configuration a flow resolves, carrying a proof Meta accepts', async () => {
    const resolved = await getBound(runtime.handle.container, ConfigurationTokens.resolver).resolve(bakeryId);
    const registry = getBound(runtime.handle.container, Ports.connectors);
    const result = await getBound(runtime.handle.container, Ports.cardExecutor).execute({
      card: registry.requireCard('facebook-pages/get-page@1'),
      configuration: resolved,
      input: {},
    });
    expect(result.output).toMatchObject({ id: meta.fixtures.pages[0]!.id, name: 'Flowcard Bakery' });
  });

  it('sends no proof for a token of an app the workspace does not know, and Meta refuses the call', async () => {
    const configurations = getBound(runtime.handle.container, Ports.configurations);
    const bakery = (await configurations.findById(bakeryId))!;
    const foreign = await configurations.create({
      workspaceId: bakery.workspaceId,
      connector: 'facebook-pages',
      kind: 'default',
      nickname: 'Issued by another app',
      ownerId: bakery.ownerId,
      values: bakery.values,
      secrets: bakery.secrets,
      externalIds: { ...bakery.externalIds, metaAppId: '1009000000000999' },
    });
    const tested = await call(`${runtime.url}/v1/configurations/${foreign.id}/test`, {
      method: 'POST',
      apiKey,
    });
    expect(tested.body).toMatchObject({ ok: false, card: 'facebook-pages/get-page@1' });
    expect(tested.body.error.message).toContain('appsecret_proof');
  });
});
