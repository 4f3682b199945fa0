import { getBound, Ports } from '@flowcard/runtime';
import { PeopleTokens } from '../../../runtime/src/people/people-tokens';
import { startE2e, type E2e, type Json } from '../../e2e/support/e2e-runtime';
import type { Browser } from './support/browser';
import { inviteAndAccept, signInAs } from './support/people';

/**
 * The team of a workspace through the API with session cookies: the members list (read-only for
 * members), role changes (only owners touch the owner role; never the last owner), and removal with
 * transfer of what the member owns (real configurations and a real flow, on the bundled emulator).
 */
describe('team members', () => {
  let e2e: E2e;
  let owner: Browser;
  let ownerId: string;
  let alice: { browser: Browser; userId: string };
  let bob: { browser: Browser; userId: string };

  beforeAll(async () => {
    e2e = await startE2e(__filename, ['api']);
    ownerId = (await e2e.api('/v1/me')).body.user.id;
    owner = await signInAs(e2e.runtime, ownerId, 'owner@bakery.example');
    alice = await inviteAndAccept(owner, e2e.runtime, 'alice@bakery.example', 'admin', 'Alice Admin');
    bob = await inviteAndAccept(owner, e2e.runtime, 'bob@bakery.example', 'member', 'Bob Member');
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('lists every member with name, email, role and last seen, to members read-only', async () => {
    const listed = await bob.browser.get('/v1/team/members');
    expect(listed.status).toBe(200);
    expect(listed.body.members).toEqual([
      {
        id: ownerId,
        name: '',
        email: 'owner@bakery.example',
        role: 'owner',
        lastSeenAt: expect.any(String),
        isYou: false,
      },
      {
        id: alice.userId,
        name: 'Alice Admin',
        email: 'alice@bakery.example',
        role: 'admin',
        lastSeenAt: expect.any(String),
        isYou: false,
      },
      {
        id: bob.userId,
        name: 'Bob Member',
        email: 'bob@bakery.example',
        role: 'member',
        lastSeenAt: expect.any(String),
        isYou: true,
      },
    ]);
    for (const [method, path, body] of [
      ['PATCH', `/v1/team/members/${alice.userId}`, { role: 'member' }],
      ['DELETE', `/v1/team/members/${alice.userId}`, {}],
      ['GET', `/v1/team/members/${alice.userId}/removal`, undefined],
      ['GET', '/v1/team/invites', undefined],
      ['POST', '/v1/team/invites', { email: 'x@bakery.example', role: 'member' }],
    ] as const) {
      const answer = await bob.browser.request(path, { method, body });
      expect({ path, method, status: answer.status, code: answer.body.error.code }).toEqual({
        path,
        method,
        status: 403,
        code: 'FLOWCARD_ERR_ROLE_FORBIDDEN',
      });
    }
  });

  it('writes last seen at most once a minute', async () => {
    const users = getBound(e2e.runtime.handle.container, Ports.users);
    const clock = getBound(e2e.runtime.handle.container, PeopleTokens.clock);
    const before = (await users.findById(bob.userId))!.lastSeenAt!;
    // A minute later (on the people clock) a request writes it again (sessions await the write)…
    clock.advance(61_000);
    await bob.browser.get('/v1/me');
    const moved = (await users.findById(bob.userId))!.lastSeenAt!;
    expect(moved.getTime() - before.getTime()).toBeGreaterThanOrEqual(61_000);
    // …and requests within the next minute do not.
    clock.advance(30_000);
    await bob.browser.get('/v1/me');
    await bob.browser.get('/v1/team/members');
    expect((await users.findById(bob.userId))!.lastSeenAt).toEqual(moved);
    clock.reset();
  });

  it('lets only an owner touch the owner role, and never removes the last owner', async () => {
    const byAdmin = await alice.browser.request(`/v1/team/members/${bob.userId}`, {
      method: 'PATCH',
      body: { role: 'owner' },
    });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error).toEqual({
      code: 'FLOWCARD_ERR_OWNER_ROLE_FORBIDDEN',
      message: "Only an owner can make someone an owner or change an owner's role",
    });
    const demoteOwner = await alice.browser.request(`/v1/team/members/${ownerId}`, {
      method: 'PATCH',
      body: { role: 'member' },
    });
    expect(demoteOwner.body.error.code).toBe('FLOWCARD_ERR_OWNER_ROLE_FORBIDDEN');

    const lastOwner = await owner.request(`/v1/team/members/${ownerId}`, {
      method: 'PATCH',
      body: { role: 'admin' },
    });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error).toEqual({
      code: 'FLOWCARD_ERR_LAST_OWNER',
      message: 'The workspace needs at least one owner; make someone else an owner first',
    });
    const removeLastOwner = await owner.request(`/v1/team/members/${ownerId}`, {
      method: 'DELETE',
      body: {},
    });
    expect(removeLastOwner.status).toBe(409);
    expect(removeLastOwner.body.error.code).toBe('FLOWCARD_ERR_LAST_OWNER');

    const promoted = await owner.request(`/v1/team/members/${bob.userId}`, {
      method: 'PATCH',
      body: { role: 'owner' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.member).toMatchObject({ id: bob.userId, role: 'owner' });
    // Bob's session sees the new role on its next request.
    expect((await bob.browser.get('/v1/me')).body.role).toBe('owner');
    const back = await bob.browser.request(`/v1/team/members/${bob.userId}`, {
      method: 'PATCH',
      body: { role: 'member' },
    });
    expect(back.status).toBe(200);
    expect((await bob.browser.get('/v1/me')).body.role).toBe('member');

    const bad = await owner.request(`/v1/team/members/${bob.userId}`, {
      method: 'PATCH',
      body: { role: 'boss' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { where: 'body', path: '/role', message: 'must be one of "member", "admin", "owner"' },
    ]);
    const unknown = await owner.request('/v1/team/members/nobody', {
      method: 'PATCH',
      body: { role: 'admin' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      code: 'FLOWCARD_ERR_MEMBER_NOT_FOUND',
      message: 'No member nobody in this workspace',
    });
  });

  it('removes a member only once what they own is transferred, and ends their sessions and keys', async () => {
    // Alice (admin) owns a Workplace configuration and a flow built on it and on a shared Page.
    const pageConfigurationId = Object.values(e2e.pageConfigurations)[0]!;
    expect(
      (
        await owner.request(`/v1/configurations/${pageConfigurationId}/sharing`, {
          method: 'PUT',
          body: { mode: 'workspace' },
        })
      ).status,
    ).toBe(200);
    const workplace = await alice.browser.post('/v1/configurations', {
      connector: 'workplace',
      nickname: 'Alice Workplace',
      values: {
        accessToken: e2e.fixtures.workplace.adminToken,
        graphBaseUrl: e2e.runtime.handle.config.meta.graphUrl,
        graphVersion: 'v25.0',
      },
    });
    expect(workplace.status).toBe(201);
    const pageId = Object.keys(e2e.pageConfigurations)[0]!;
    const spec: Json = e2e.demoFlow(pageId, 'alice');
    spec.steps = spec.steps.map((step: Json) => ({ ...step, configurationId: workplace.body.id }));
    const flow = await alice.browser.post('/v1/flows', { spec });
    expect(flow.status).toBe(201);
    const key = await alice.browser.post('/v1/me/api-keys', { name: 'alice script' });
    expect(key.status).toBe(201);

    const owned = await owner.get(`/v1/team/members/${alice.userId}/removal`);
    expect(owned.body).toEqual({
      configurations: [{ id: workplace.body.id, nickname: 'Alice Workplace', connector: 'workplace' }],
      flows: [{ id: flow.body.id, name: 'New lead → Workplace (alice)' }],
    });

    const refused = await owner.request(`/v1/team/members/${alice.userId}`, { method: 'DELETE', body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'FLOWCARD_ERR_MEMBER_OWNS_ITEMS',
      message:
        'Alice Admin owns 1 configuration(s) and 1 flow(s); choose a member to transfer them to (transferTo)',
      details: owned.body,
    });
    // Bob is a member: he may not own a Workplace configuration, so nothing moves at all.
    const toMember = await owner.request(`/v1/team/members/${alice.userId}`, {
      method: 'DELETE',
      body: { transferTo: bob.userId },
    });
    expect(toMember.status).toBe(403);
    expect(toMember.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_ROLE_FORBIDDEN');
    const toSelf = await owner.request(`/v1/team/members/${alice.userId}`, {
      method: 'DELETE',
      body: { transferTo: alice.userId },
    });
    expect(toSelf.status).toBe(400);
    expect(toSelf.body.error.code).toBe('FLOWCARD_ERR_TRANSFER_TARGET_INVALID');
    expect((await alice.browser.get('/v1/me')).status).toBe(200);
    expect((await owner.get(`/v1/team/members/${alice.userId}/removal`)).body).toEqual(owned.body);

    const removed = await owner.request(`/v1/team/members/${alice.userId}`, {
      method: 'DELETE',
      body: { transferTo: ownerId },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ transferred: { configurations: 1, flows: 1 } });
    expect((await owner.get(`/v1/configurations/${workplace.body.id}`)).body.ownerId).toBe(ownerId);
    expect((await owner.get(`/v1/flows/${flow.body.id}`)).body.ownerId).toBe(ownerId);
    expect((await owner.get('/v1/team/members')).body.members.map((m: Json) => m.id)).toEqual([
      ownerId,
      bob.userId,
    ]);
    const aliceSession = await alice.browser.get('/v1/me');
    expect(aliceSession.status).toBe(401);
    expect(aliceSession.body.error.code).toBe('FLOWCARD_ERR_SESSION_EXPIRED');
    const aliceKey = await e2e.api('/v1/me', { apiKey: key.body.key });
    expect(aliceKey.status).toBe(401);
    expect(aliceKey.body.error.code).toBe('FLOWCARD_ERR_API_KEY_INVALID');

    // A member who owns nothing is removed without transferTo.
    expect((await owner.request(`/v1/team/members/${bob.userId}`, { method: 'DELETE' })).body).toEqual({
      transferred: { configurations: 0, flows: 0 },
    });
  });
});
