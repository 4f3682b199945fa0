import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { getBound, Ports } from '@flowcard/runtime';
import { PeopleTokens } from '../../../runtime/src/people/people-tokens';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { Browser } from './support/browser';
import { PASSWORD, tokenOf } from './support/people';

const DAY = 24 * 60 * 60_000;

/**
 * Invites (single-use, expiring, stored hashed, sent through the notifier webhook) and personal API
 * keys, through the real API with session cookies. A local HTTP server plays the notifier webhook.
 */
describe('invites and personal API keys', () => {
  let runtime: TestRuntime;
  let webhook: Server;
  const delivered: Array<Record<string, unknown>> = [];
  let owner: Browser;
  const clock = () => getBound(runtime.handle.container, PeopleTokens.clock);

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        delivered.push(JSON.parse(body) as Record<string, unknown>);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    runtime = await startTestRuntime(__filename, {
      env: {
        FLOWCARD_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
      },
    });
    owner = new Browser(runtime.url);
    const setup = await owner.post('/v1/setup', {
      workspaceName: 'Acme',
      name: 'Olivia Owner',
      email: 'olivia@acme.example',
      password: PASSWORD,
    });
    expect(setup.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await new Promise((resolve) => webhook?.close(resolve));
  });

  afterEach(() => clock().reset());

  it('creates a single-use link, stores only its hash, shows it once and sends it through the webhook', async () => {
    const invited = await owner.post('/v1/team/invites', { email: 'Nina@Acme.example', role: 'admin' });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({
      invite: {
        id: expect.any(String),
        email: 'nina@acme.example',
        role: 'admin',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        status: 'pending',
      },
      link: expect.stringMatching(
        new RegExp(`^${runtime.handle.config.publicUrl}/invite/fci_[A-Za-z0-9_-]{43}$`),
      ),
      notified: true,
    });
    const { createdAt, expiresAt } = invited.body.invite;
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(7 * DAY);
    const token = tokenOf(invited.body.link);
    expect(delivered).toEqual([
      expect.objectContaining({
        kind: 'team.invite',
        title: 'Invitation to join Acme on Flowcard',
        data: { email: 'nina@acme.example', role: 'admin', link: invited.body.link, expiresAt },
      }),
    ]);
    // Stored as a hash: the token appears nowhere in the invite's record.
    const workspaceId = (await owner.get('/v1/me')).body.workspace.id;
    const stored = await getBound(runtime.handle.container, Ports.invites).listByWorkspace(workspaceId);
    expect(stored.map((invite) => invite.hash)).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(JSON.stringify(stored)).not.toContain(token);

    const preview = await new Browser(runtime.url).get(`/v1/invites/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      email: 'nina@acme.example',
      workspaceName: 'Acme',
      role: 'admin',
      expiresAt,
      accountExists: false,
    });

    const nina = new Browser(runtime.url);
    const short = await nina.post(`/v1/invites/${token}/accept`, { name: 'Nina', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([
      { where: 'body', path: '/password', message: 'must be at least 8 characters long' },
    ]);
    const noName = await nina.post(`/v1/invites/${token}/accept`, { password: PASSWORD });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details).toEqual([
      { where: 'body', path: '/name', message: 'must have property "name"' },
    ]);
    const accepted = await nina.post(`/v1/invites/${token}/accept`, {
      name: '  Nina Admin ',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({
      user: { id: expect.any(String), name: 'Nina Admin', email: 'nina@acme.example' },
      workspace: { id: expect.any(String), name: 'Acme' },
      role: 'admin',
      csrfToken: expect.any(String),
    });
    expect(accepted.setCookies[0]).toMatch(/^flowcard_session=fcs_/);
    expect((await nina.get('/v1/me')).body).toMatchObject({ role: 'admin', auth: 'session' });
    // Nina signs in later with the password she chose.
    expect(
      (
        await new Browser(runtime.url).post('/v1/auth/sign-in', {
          email: 'nina@acme.example',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);

    // Single use: the link is dead now, with an exact message.
    for (const answer of [
      await new Browser(runtime.url).get(`/v1/invites/${token}`),
      await new Browser(runtime.url).post(`/v1/invites/${token}/accept`, { name: 'Eve', password: PASSWORD }),
    ]) {
      expect(answer.status).toBe(410);
      expect(answer.body.error).toEqual({
        code: 'FLOWCARD_ERR_INVITE_USED',
        message: 'This invite has already been used; sign in, or ask an owner or admin for a new one',
      });
    }
  });

  it('lets exactly one of four simultaneous accepts of one link join; the others hear it was used', async () => {
    const invited = await owner.post('/v1/team/invites', { email: 'twice@acme.example', role: 'member' });
    const token = tokenOf(invited.body.link);
    const answers = await Promise.all(
      ['First', 'Second', 'Third', 'Fourth'].map((name) =>
        new Browser(runtime.url).post(`/v1/invites/${token}/accept`, { name, password: PASSWORD }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410, 410, 410]);
    for (const lost of answers.filter((a) => a.status === 410))
      expect(lost.body.error.code).toBe('FLOWCARD_ERR_INVITE_USED');
    const members = (await owner.get('/v1/team/members')).body.members;
    expect(members.filter((m: { email: string }) => m.email === 'twice@acme.example')).toHaveLength(1);
  });

  it('expires a link after 7 days, with an exact message', async () => {
    const invited = await owner.post('/v1/team/invites', { email: 'late@acme.example', role: 'member' });
    const token = tokenOf(invited.body.link);
    clock().advance(7 * DAY + 60_000);
    const day = invited.body.invite.expiresAt.slice(0, 10);
    for (const answer of [
      await new Browser(runtime.url).get(`/v1/invites/${token}`),
      await new Browser(runtime.url).post(`/v1/invites/${token}/accept`, {
        name: 'Late',
        password: PASSWORD,
      }),
    ]) {
      expect(answer.status).toBe(410);
      expect(answer.body.error).toEqual({
        code: 'FLOWCARD_ERR_INVITE_EXPIRED',
        message: `This invite expired on ${day}; ask an owner or admin for a new one`,
      });
    }
    // The team's list says so too (a fresh sign-in: the owner's session idled out in those 7 days).
    const later = new Browser(runtime.url);
    await later.post('/v1/auth/sign-in', { email: 'olivia@acme.example', password: PASSWORD });
    const listed = (await later.get('/v1/team/invites')).body.invites;
    expect(listed.find((i: { email: string }) => i.email === 'late@acme.example').status).toBe('expired');
  });

  it('withdraws an invite, replaces a pending one on re-invite, and refuses members and unknown links', async () => {
    const first = await owner.post('/v1/team/invites', { email: 'carol@acme.example', role: 'member' });
    const second = await owner.post('/v1/team/invites', { email: 'carol@acme.example', role: 'admin' });
    const replaced = await new Browser(runtime.url).get(`/v1/invites/${tokenOf(first.body.link)}`);
    expect(replaced.status).toBe(410);
    expect(replaced.body.error).toEqual({
      code: 'FLOWCARD_ERR_INVITE_REVOKED',
      message: 'This invite was withdrawn; ask an owner or admin for a new one',
    });
    expect(
      (await owner.request(`/v1/team/invites/${second.body.invite.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await new Browser(runtime.url).get(`/v1/invites/${tokenOf(second.body.link)}`)).status).toBe(410);
    const again = await owner.request(`/v1/team/invites/${second.body.invite.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('FLOWCARD_ERR_TEAM_INVITE_NOT_FOUND');

    const statuses = Object.fromEntries(
      (await owner.get('/v1/team/invites')).body.invites
        .filter((i: { email: string }) => i.email === 'carol@acme.example' || i.email === 'nina@acme.example')
        .map((i: { id: string; status: string }) => [i.id, i.status]),
    );
    expect(statuses[first.body.invite.id]).toBe('revoked');
    expect(statuses[second.body.invite.id]).toBe('revoked');
    expect(Object.values(statuses)).toContain('accepted');

    const member = await owner.post('/v1/team/invites', { email: 'NINA@acme.example', role: 'member' });
    expect(member.status).toBe(409);
    expect(member.body.error).toEqual({
      code: 'FLOWCARD_ERR_INVITE_ALREADY_MEMBER',
      message: 'nina@acme.example is already a member of this workspace',
    });
    const ownerRole = await owner.post('/v1/team/invites', { email: 'x@acme.example', role: 'owner' });
    expect(ownerRole.status).toBe(400);
    expect(ownerRole.body.error.details).toEqual([
      { where: 'body', path: '/role', message: 'must be one of "admin", "member"' },
    ]);
    const badEmail = await owner.post('/v1/team/invites', { email: 'x@', role: 'member' });
    expect(badEmail.body.error.details).toEqual([
      { where: 'body', path: '/email', message: 'must be an email address' },
    ]);

    for (const token of [`fci_${'A'.repeat(43)}`, 'garbage']) {
      const unknown = await new Browser(runtime.url).get(`/v1/invites/${token}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toEqual({
        code: 'FLOWCARD_ERR_INVITE_NOT_FOUND',
        message: 'This invite link is not valid; check that you copied all of it',
      });
    }
  });

  it('creates personal API keys shown once, lists them without the key, and revokes only your own', async () => {
    const created = await owner.post('/v1/me/api-keys', { name: ' deploy script ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      apiKey: {
        id: expect.any(String),
        name: 'deploy script',
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
      },
      key: expect.stringMatching(/^fc_[a-f0-9]{12}_[A-Za-z0-9_-]{43}$/),
    });
    const key: string = created.body.key;
    const me = await call(`${runtime.url}/v1/me`, { apiKey: key });
    expect(me.body).toMatchObject({ user: { email: 'olivia@acme.example' }, role: 'owner', auth: 'api-key' });
    // A key can manage keys too (scripts); it needs no CSRF token.
    const listed = await call(`${runtime.url}/v1/me/api-keys`, { apiKey: key });
    expect(listed.body.apiKeys).toEqual([
      expect.objectContaining({ id: created.body.apiKey.id, name: 'deploy script' }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const blank = await owner.post('/v1/me/api-keys', { name: '   ' });
    expect(blank.body.error.details).toEqual([
      { where: 'body', path: '/name', message: 'must not be empty' },
    ]);

    // Nina cannot revoke Olivia's key.
    const nina = new Browser(runtime.url);
    await nina.post('/v1/auth/sign-in', { email: 'nina@acme.example', password: PASSWORD });
    const notHers = await nina.request(`/v1/me/api-keys/${created.body.apiKey.id}`, { method: 'DELETE' });
    expect(notHers.status).toBe(404);
    expect(notHers.body.error).toEqual({
      code: 'FLOWCARD_ERR_API_KEY_NOT_FOUND',
      message: `No API key ${created.body.apiKey.id} of yours that is still active`,
    });
    expect((await nina.get('/v1/me/api-keys')).body.apiKeys).toEqual([]);

    expect(
      (await owner.request(`/v1/me/api-keys/${created.body.apiKey.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await call(`${runtime.url}/v1/me`, { apiKey: key })).body.error.code).toBe(
      'FLOWCARD_ERR_API_KEY_INVALID',
    );
    const revoked = (await owner.get('/v1/me/api-keys')).body.apiKeys[0];
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(
      (await owner.request(`/v1/me/api-keys/${created.body.apiKey.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(runtime.logs()).not.toContain(key);
  });

  it('never logs an invite link, a password or a session cookie', () => {
    const logs = runtime.logs();
    expect(logs).toContain('invite accepted');
    expect(logs).not.toMatch(/fci_[A-Za-z0-9_-]{43}/);
    expect(logs).not.toMatch(/fcs_[A-Za-z0-9_-]{43}/);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).toContain('/v1/invites/[redacted]');
  });
});
