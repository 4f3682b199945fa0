import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import { getBound } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { connectThroughMeta } from '../support/connect-through-meta';
import { metaAppEnv } from '../support/meta-app-env';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { createWorkspaceFixture } from '../support/workspace-fixture';

const DAY = 24 * 60 * 60_000;

describe('the token lifecycle', () => {
  let meta: MetaEmulator;
  let runtime: TestRuntime;
  let webhook: Server;
  const delivered: Array<Record<string, unknown>> = [];
  let ownerKey: string;
  let memberKey: string;

  const clock = () => getBound(runtime.handle.container, ConfigurationTokens.clock);
  const sweep = () => getBound(runtime.handle.container, ConfigurationTokens.lifecycleSweep);
  const notifications = async (apiKey = ownerKey) =>
    (await call(`${runtime.url}/v1/notifications`, { apiKey })).body;

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        delivered.push(JSON.parse(text));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    meta = await startMetaEmulator();
    runtime = await startTestRuntime(__filename, {
      env: {
        ...metaAppEnv(meta),
        FLOWCARD_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
      },
    });
    ({ owner: ownerKey, member: memberKey } = (
      await createWorkspaceFixture(runtime, 'Acme', { owner: 'owner', member: 'member' })
    ).keys);

    // Two Page configurations with Meta's 60-day token and 90-day data access, through Connect Meta.
    await connectThroughMeta(runtime, ownerKey);
  });
  afterAll(async () => {
    await runtime?.stop();
    await meta?.close();
    await new Promise((resolve) => webhook?.close(resolve));
  });

  it('sends nothing while expiry is far away', async () => {
    expect(await sweep().run()).toMatchObject({ scanned: 0, reminders: 0 });
    expect((await notifications()).notifications).toEqual([]);
  });

  it('marks the configurations expiring 15 days before the token expires and reminds the owner once, on every channel', async () => {
    clock().advance(46 * DAY);
    expect(await sweep().run()).toMatchObject({ changed: 2, reminders: 2 });
    const { notifications: list, unread } = await notifications();
    expect(unread).toBe(2);
    expect(
      list.map((n: { kind: string; data: { threshold: string } }) => [n.kind, n.data.threshold]),
    ).toEqual([
      ['configuration.expiring', 'expiresAt:15d'],
      ['configuration.expiring', 'expiresAt:15d'],
    ]);
    expect(list[0].title).toMatch(/^Flowcard B\w+: access token expires on \d{4}-\d{2}-\d{2}$/);
    expect(delivered.map((body) => body.kind)).toEqual(['configuration.expiring', 'configuration.expiring']);
    expect(runtime.logs()).toContain('access token expires on');
    const configurations = (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body
      .configurations;
    expect(configurations.map((c: { status: string }) => c.status)).toEqual(['expiring', 'expiring']);
  });

  it('sends nothing more when the sweep runs again', async () => {
    expect(await sweep().run()).toMatchObject({ scanned: 2, changed: 0, reminders: 0 });
    expect((await notifications()).notifications).toHaveLength(2);
    expect(delivered).toHaveLength(2);
  });

  it('marks them expired after the token expiry, and two schedulers sweeping at once send one reminder each', async () => {
    clock().advance(15 * DAY);
    const reports = await Promise.all([sweep().run(), sweep().run()]);
    expect(reports[0]!.reminders + reports[1]!.reminders).toBe(2);
    const kinds = (await notifications()).notifications.map((n: { kind: string }) => n.kind);
    expect(kinds.filter((kind: string) => kind === 'configuration.expired')).toHaveLength(2);
    const configurations = (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body
      .configurations;
    expect(configurations.map((c: { status: string }) => c.status)).toEqual(['expired', 'expired']);
  });

  it('reminds about data access at day 75 of 90, once', async () => {
    clock().advance(14 * DAY); // day 75
    expect(await sweep().run()).toMatchObject({ reminders: 2 });
    expect(await sweep().run()).toMatchObject({ reminders: 0 });
    const thresholds = (await notifications()).notifications.map(
      (n: { data: { threshold: string } }) => n.data.threshold,
    );
    expect(thresholds.filter((threshold: string) => threshold === 'dataAccessExpiresAt:15d')).toHaveLength(2);
  });

  it('lets the recipient mark a notification read, and nobody else', async () => {
    const [first] = (await notifications()).notifications;
    expect(
      (await call(`${runtime.url}/v1/notifications/${first.id}/read`, { method: 'POST', apiKey: memberKey }))
        .status,
    ).toBe(404);
    expect(
      (await call(`${runtime.url}/v1/notifications/${first.id}/read`, { method: 'POST', apiKey: ownerKey }))
        .status,
    ).toBe(204);
    const after = await notifications();
    expect(after.unread).toBe(after.notifications.length - 1);
    expect(
      (await call(`${runtime.url}/v1/notifications/read-all`, { method: 'POST', apiKey: ownerKey })).body
        .marked,
    ).toBe(after.unread);
  });

  it('marks a configuration needs_reauth on a Graph 190 and tells the owner once', async () => {
    const [configuration] = (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body
      .configurations;
    const marker = getBound(runtime.handle.container, ConfigurationTokens.needsReauth);
    expect(await marker.markNeedsReauth(configuration.id, 'Graph error 190/460: password changed')).toBe(
      true,
    );
    expect(await marker.markNeedsReauth(configuration.id, 'Graph error 190/460: password changed')).toBe(
      false,
    );
    expect(
      (await call(`${runtime.url}/v1/configurations/${configuration.id}`, { apiKey: ownerKey })).body.status,
    ).toBe('needs_reauth');
    const reauth = (await notifications()).notifications.filter(
      (n: { kind: string }) => n.kind === 'configuration.needs_reauth',
    );
    expect(reauth).toHaveLength(1);
    expect(reauth[0].body).toContain('password changed');
    // A configuration waiting for re-authorisation is left alone by the sweep.
    clock().advance(30 * DAY);
    await sweep().run();
    expect(
      (await call(`${runtime.url}/v1/configurations/${configuration.id}`, { apiKey: ownerKey })).body.status,
    ).toBe('needs_reauth');
  });

  it('never put a token into a notification, a webhook delivery or a log line', async () => {
    const everything = JSON.stringify([await notifications(), delivered]) + runtime.logs();
    expect(everything).not.toContain('EAAGEMU');
  });
});
