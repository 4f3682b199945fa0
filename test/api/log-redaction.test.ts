import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { call, startTestRuntime, type TestRuntime } from './support/start-test-runtime';

describe('the runtime logs', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let fixtureTokens: string[];

  beforeAll(async () => {
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, {
      env: {
        META_APP_ID: meta.app.id,
        META_APP_SECRET: meta.app.secret,
        META_GRAPH_URL: meta.graphUrl,
        LOG_LEVEL: 'trace',
      },
    });
    fixtureTokens = [
      meta.app.secret,
      meta.fixtures.user.accessToken,
      meta.fixtures.pages[0]!.accessToken,
      meta.fixtures.workplace.adminToken,
      meta.fixtures.scim.token,
    ];
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
  });

  it('contain no fixture token after requests and log calls that carry them', async () => {
    const [appSecret, userToken, pageToken, workplaceToken, scimToken] = fixtureTokens as [
      string,
      string,
      string,
      string,
      string,
    ];
    const bootstrap = await call(`${runtime.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'a@example.com', workspace: 'Logs' },
    });
    const apiKey: string = bootstrap.body.apiKey;
    fixtureTokens.push(apiKey);

    await call(`${runtime.url}/v1/me`, { apiKey });
    await call(`${runtime.url}/v1/me`, { apiKey, header: 'x-api-key' });
    await call(`${runtime.url}/v1/me?access_token=${userToken}&code=${pageToken}`, { apiKey });
    await call(`${runtime.url}/callback?state=abc&code=${workplaceToken}`);

    const logger = runtime.handle.logger;
    logger.info(
      { configuration: { values: { pageId: '1' }, secrets: { accessToken: pageToken } } },
      'saved configuration',
    );
    logger.info(
      { accessToken: userToken, appSecret, token: workplaceToken, password: scimToken },
      'top-level secrets',
    );
    logger.info({ headers: { authorization: `Bearer ${apiKey}`, 'x-api-key': apiKey } }, 'forwarded headers');
    logger.warn({ body: { access_token: userToken, client_secret: appSecret } }, 'Graph answer');
    logger.error({ data: { apiKey, secret: appSecret } }, 'nested secrets');
    logger.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const logs = runtime.logs();
    expect(logs).toContain('saved configuration');
    expect(logs).toContain('access_token=[redacted]&code=[redacted]');
    expect(logs).toContain('"authorization":"[redacted]"');
    for (const token of fixtureTokens) expect(logs).not.toContain(token);
  });
});
