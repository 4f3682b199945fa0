import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { ConfigurationTokens } from '../../../runtime/src/configurations/configuration-tokens';
import { call, startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { Browser } from './support/browser';
import { PASSWORD, signInAs, tokenOf } from './support/people';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely
type Json = any;

/**
 * Two workspaces on one runtime, driven with session cookies through the API: a session of A never
 * sees or touches B's people, invites, API keys, configurations or notifications. Also: a person who
 * already has an account (in B) joining A through an invite with that account's password.
 */
describe('workspace isolation with session cookies', () => {
  let runtime: TestRuntime;
  let a: Browser;
  let b: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    runtime = await startTestRuntime(__filename);
    a = new Browser(runtime.url);
    const setup = await a.post('/v1/setup', {
      workspaceName: 'Alpha',
      name: 'Ann Alpha',
      email: 'ann@alpha.example',
      password: PASSWORD,
    });
    expect(setup.status).toBe(201);
    ids.annId = setup.body.user.id;
    ids.alphaId = setup.body.workspace.id;

    // Workspace B, made the scripts' way (flowcard admin create), then signed in to.
    const repositories = {
      users: getBound(runtime.handle.container, Ports.users),
      workspaces: getBound(runtime.handle.container, Ports.workspaces),
    };
    const bert = await createAdmin(repositories, { email: 'bert@beta.example', workspace: 'Beta' });
    const bella = await createAdmin(repositories, {
      email: 'bella@beta.example',
      workspace: 'Beta',
      role: 'member',
    });
    ids.bertId = bert.user.id;
    ids.bellaId = bella.user.id;
    ids.betaId = bert.workspace.id;
    ids.bertKey = bert.apiKey;
    ids.bertKeyId = bert.apiKeyId;
    b = await signInAs(runtime, bert.user.id, 'bert@beta.example');
    await signInAs(runtime, bella.user.id, 'bella@beta.example');

    // B's things: an invite, a configuration, a notification.
    const invite = await b.post('/v1/team/invites', { email: 'bo@beta.example', role: 'member' });
    ids.betaInviteId = invite.body.invite.id;
    const configuration = await b.post('/v1/configurations?test=false', {
      connector: 'workplace',
      nickname: 'Beta Workplace',
      values: {
        accessToken: 'DQWREMUbetaNotARealToken',
        graphBaseUrl: 'https://graph.beta.example',
        graphVersion: 'v25.0',
      },
      sharing: { mode: 'workspace' },
    });
    expect(configuration.status).toBe(201);
    ids.betaConfigurationId = configuration.body.id;
    await getBound(runtime.handle.container, ConfigurationTokens.notifier).notify({
      workspaceId: ids.betaId,
      userId: ids.bertId,
      kind: 'configuration.expiring',
      title: 'Beta Workplace expires soon',
      body: 'Rotate its token.',
    });
    ids.betaNotificationId = (await b.get('/v1/notifications')).body.notifications[0].id;
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it("shows A's session only A's people and invites", async () => {
    const members = (await a.get('/v1/team/members')).body.members;
    expect(members.map((m: Json) => m.email)).toEqual(['ann@alpha.example']);
    expect((await a.get('/v1/team/invites')).body.invites).toEqual([]);
    expect((await b.get('/v1/team/members')).body.members.map((m: Json) => m.email).sort()).toEqual([
      'bella@beta.example',
      'bert@beta.example',
    ]);
  });

  it("lets A's owner change, inspect or remove none of B's people, invites or keys", async () => {
    for (const [method, path, body] of [
      ['PATCH', `/v1/team/members/${ids.bellaId}`, { role: 'admin' }],
      ['GET', `/v1/team/members/${ids.bellaId}/removal`, undefined],
      ['DELETE', `/v1/team/members/${ids.bellaId}`, {}],
      ['DELETE', `/v1/team/members/${ids.bertId}`, { transferTo: ids.annId }],
    ] as const) {
      const answer = await a.request(path, { method, body });
      expect({ method, path, status: answer.status, code: answer.body.error.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'FLOWCARD_ERR_MEMBER_NOT_FOUND',
      });
    }
    const invite = await a.request(`/v1/team/invites/${ids.betaInviteId}`, { method: 'DELETE' });
    expect(invite.status).toBe(404);
    expect(invite.body.error.code).toBe('FLOWCARD_ERR_TEAM_INVITE_NOT_FOUND');
    const key = await a.request(`/v1/me/api-keys/${ids.bertKeyId}`, { method: 'DELETE' });
    expect(key.status).toBe(404);

    // Nothing of B changed.
    const beta = (await b.get('/v1/team/members')).body.members;
    expect(beta.find((m: Json) => m.id === ids.bellaId).role).toBe('member');
    expect((await b.get('/v1/team/invites')).body.invites.map((i: Json) => i.status)).toEqual(['pending']);
    expect((await call(`${runtime.url}/v1/me`, { apiKey: ids.bertKey })).status).toBe(200);
  });

  it("never shows A's session B's configurations or notifications", async () => {
    const listed = await a.get('/v1/configurations');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(ids.betaConfigurationId);
    const one = await a.get(`/v1/configurations/${ids.betaConfigurationId}`);
    expect(one.status).toBe(404);
    expect(one.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND');
    const rename = await a.request(`/v1/configurations/${ids.betaConfigurationId}`, {
      method: 'PATCH',
      body: { nickname: 'Taken over' },
    });
    expect(rename.status).toBe(404);

    const notifications = await a.get('/v1/notifications');
    expect(notifications.body).toEqual({ notifications: [], unread: 0 });
    const read = await a.post(`/v1/notifications/${ids.betaNotificationId}/read`);
    expect(read.status).toBe(404);
    expect((await b.get('/v1/notifications')).body.unread).toBe(1);
  });

  it('lets a person with an account in B join A with that account’s password, and only see A there', async () => {
    const invited = await a.post('/v1/team/invites', { email: 'bella@beta.example', role: 'member' });
    const token = tokenOf(invited.body.link);
    const preview = await new Browser(runtime.url).get(`/v1/invites/${token}`);
    expect(preview.body).toMatchObject({ workspaceName: 'Alpha', accountExists: true });

    const joining = new Browser(runtime.url);
    const wrong = await joining.post(`/v1/invites/${token}/accept`, { password: 'not her password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({
      code: 'FLOWCARD_ERR_INVITE_ACCOUNT_EXISTS',
      message: "bella@beta.example already has a Flowcard account; enter that account's password to join",
    });
    // A wrong password does not use the invite up.
    const joined = await joining.post(`/v1/invites/${token}/accept`, { password: PASSWORD });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({
      user: { id: ids.bellaId, email: 'bella@beta.example' },
      workspace: { id: ids.alphaId, name: 'Alpha' },
      role: 'member',
    });
    // This session acts in A: A's people, not B's configuration.
    expect((await joining.get('/v1/team/members')).body.members.map((m: Json) => m.email).sort()).toEqual([
      'ann@alpha.example',
      'bella@beta.example',
    ]);
    expect((await joining.get(`/v1/configurations/${ids.betaConfigurationId}`)).status).toBe(404);
    // B still has her as a member.
    expect((await b.get('/v1/team/members')).body.members.map((m: Json) => m.id)).toContain(ids.bellaId);
    // Signing in lands in the workspace she joined first (B), also after her role there changed.
    expect(
      (await b.request(`/v1/team/members/${ids.bellaId}`, { method: 'PATCH', body: { role: 'admin' } }))
        .status,
    ).toBe(200);
    const signedIn = await new Browser(runtime.url).post('/v1/auth/sign-in', {
      email: 'bella@beta.example',
      password: PASSWORD,
    });
    expect(signedIn.body).toMatchObject({ workspace: { id: ids.betaId, name: 'Beta' }, role: 'admin' });
  });
});
