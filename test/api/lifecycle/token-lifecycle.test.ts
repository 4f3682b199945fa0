import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
  let adminKey: string;

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
    ({
      owner: ownerKey,
      member: memberKey,
      admin: adminKey,
    } = (
      await createWorkspaceFixture(runtime, 'Acme', { owner: 'owner', member: 'member', admin: 'admin' })
    ).keys);

    // Two Page configurations through Connect Meta: Page tokens that never expire, 90-day data access.
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

  /** Moves Flowcard's clock and Meta's (the emulator's) together, as real time would. */
  const advance = (ms: number): void => {
    clock().advance(ms);
    meta.control.advanceClock(ms);
  };
  const statuses = async (): Promise<string[]> =>
    (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body.configurations.map(
      (c: { status: string }) => c.status,
    );

  it('never marks Page configurations expired at day 61: a Page token from a long-lived user token does not expire by time', async () => {
    const configurations = (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body
      .configurations;
    expect(configurations.map((c: { expiresAt: string | null }) => c.expiresAt)).toEqual([null, null]);
    advance(61 * DAY);
    expect(await sweep().run()).toMatchObject({ changed: 0, reminders: 0 });
    expect(await statuses()).toEqual(['active', 'active']);
    expect((await notifications()).notifications).toEqual([]);
  });

  it('at day 76 sends one data-access reminder per Page configuration on every channel, to the owner and the admins of a shared one, and marks them expiring', async () => {
    const [bakery] = (await call(`${runtime.url}/v1/configurations`, { apiKey: ownerKey })).body
      .configurations;
    await call(`${runtime.url}/v1/configurations/${bakery.id}/sharing`, {
      method: 'PUT',
      apiKey: ownerKey,
      body: { mode: 'workspace' },
    });
    advance(15 * DAY); // day 76
    // On demand, as `flowcard lifecycle sweep` does; members may not.
    expect(
      (await call(`${runtime.url}/v1/lifecycle/sweep`, { method: 'POST', apiKey: memberKey })).status,
    ).toBe(403);
    const swept = await call(`${runtime.url}/v1/lifecycle/sweep`, { method: 'POST', apiKey: ownerKey });
    expect(swept.body.tokens).toMatchObject({ changed: 2, reminders: 2 });
    const { notifications: list, unread } = await notifications();
    expect(unread).toBe(2);
    expect(
      list.map((n: { kind: string; data: { threshold: string } }) => [n.kind, n.data.threshold]),
    ).toEqual([
      ['configuration.expiring', 'dataAccessExpiresAt:15d'],
      ['configuration.expiring', 'dataAccessExpiresAt:15d'],
    ]);
    expect(list[0].title).toMatch(/^Flowcard B\w+: data access expires on \d{4}-\d{2}-\d{2}$/);
    const forAdmin = (await notifications(adminKey)).notifications;
    expect(
      forAdmin.map((n: { title: string; data: { concern: string } }) => [
        n.title.split(':')[0],
        n.data.concern,
      ]),
    ).toEqual([[bakery.nickname, 'workspace-admin']]);
    expect(delivered.map((body) => body.kind)).toEqual([
      'configuration.expiring',
      'configuration.expiring',
      'configuration.expiring',
    ]);
    expect(runtime.logs()).toContain('data access expires on');
    expect(await statuses()).toEqual(['expiring', 'expiring']);
  });

  it('sends nothing more when the sweep runs again, and two schedulers sweeping at once send nothing twice', async () => {
    const reports = await Promise.all([sweep().run(), sweep().run()]);
    expect(reports.map((report) => report.reminders)).toEqual([0, 0]);
    expect((await notifications()).notifications).toHaveLength(2);
    expect(delivered).toHaveLength(3);
  });

  it('marks them expired once data access ended (day 91), with one reminder each', async () => {
    advance(15 * DAY); // day 91
    const reports = await Promise.all([sweep().run(), sweep().run()]);
    expect(reports[0]!.reminders + reports[1]!.reminders).toBe(2);
    const expired = (await notifications()).notifications.filter(
      (n: { kind: string }) => n.kind === 'configuration.expired',
    );
    expect(expired.map((n: { data: { threshold: string } }) => n.data.threshold)).toEqual([
      'dataAccessExpiresAt:expired',
      'dataAccessExpiresAt:expired',
    ]);
    expect(expired[0].body).toMatch(
      /^The data access of "Flowcard B\w+" \(facebook-pages\) expired on \d{4}-\d{2}-\d{2}\. Flows using it wait until it is reconnected\.$/,
    );
    expect(await statuses()).toEqual(['expired', 'expired']);
  });

  it('runs on demand from the command line: `flowcard lifecycle sweep`', async () => {
    const bin = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'flowcard.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'lifecycle', 'sweep', '--api', runtime.url, '--key', ownerKey],
      { timeout: 120_000 },
    );
    expect(stdout).toMatch(
      /^✓ lifecycle sweep: \d+ configurations near or past expiry, 0 changed, 0 reminders sent\n✓ webhook subscriptions: 0 checked, 0 subscribed again, 0 failing\n$/,
    );
    const refused = await promisify(execFile)(
      process.execPath,
      [bin, 'lifecycle', 'sweep', '--api', runtime.url, '--key', memberKey],
      { timeout: 120_000 },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('✗ the sweep did not run (HTTP 403');
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
    expect(
      await marker.markNeedsReauth(
        configuration.id,
        'Graph error 190/460: password changed (session revoked).',
      ),
    ).toBe(true);
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
    expect(reauth[0].body).toBe(
      `"${configuration.nickname}" (facebook-pages) stopped working: Graph error 190/460: password changed (session revoked). Flows using it wait until it is reconnected.`,
    );
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
