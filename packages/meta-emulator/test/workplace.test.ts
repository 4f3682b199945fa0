import { startMetaEmulator, type MetaEmulator } from '../src';
import { graph, graphError } from './graph-client';

type List = { data: Record<string, unknown>[]; paging?: { next?: string } };

let emulator: MetaEmulator;
let admin: string;

beforeAll(async () => {
  emulator = await startMetaEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  admin = emulator.fixtures.workplace.adminToken;
});

const member = (i: number): MetaEmulator['fixtures']['workplace']['members'][number] =>
  emulator.fixtures.workplace.members[i];
const group = (name: string): MetaEmulator['fixtures']['workplace']['groups'][number] => {
  const found = emulator.fixtures.workplace.groups.find((g) => g.name === name);
  if (!found) throw new Error(`no fixture group ${name}`);
  return found;
};

describe('the community', () => {
  it('answers /community and its members, groups and admins', async () => {
    const w = emulator.fixtures.workplace;
    expect((await graph(emulator, 'GET', '/v25.0/community', { token: admin })).body).toEqual({
      id: w.communityId,
      name: w.communityName,
    });
    const members = await graph<List>(emulator, 'GET', '/v25.0/community/members', {
      token: admin,
      query: { fields: 'name,email,title,department', limit: 2 },
    });
    expect(members.body.data[0]).toEqual({
      id: member(0).id,
      name: member(0).name,
      email: member(0).email,
      title: member(0).title,
      department: member(0).department,
    });
    expect(members.body.paging?.next).toBeDefined();
    const groups = await graph<List>(emulator, 'GET', '/v25.0/community/groups', { token: admin });
    expect(groups.body.data.map((g) => g.id)).toEqual(w.groups.map((g) => g.id));
    const admins = await graph<List>(emulator, 'GET', '/v25.0/community/admins', { token: admin });
    expect(admins.body.data.map((a) => a.id)).toEqual(w.members.filter((m) => m.isAdmin).map((m) => m.id));
  });

  it('is invisible to a Facebook token', async () => {
    const response = await graph(emulator, 'GET', '/v25.0/community', {
      token: emulator.fixtures.user.accessToken,
    });
    expect(graphError(response).code).toBe(100);
  });

  it('creates a group with POST /community/groups', async () => {
    const created = await graph(emulator, 'POST', '/v25.0/community/groups', {
      token: admin,
      form: true,
      body: { name: 'Bakers', description: 'Bread people', privacy: 'SECRET' },
    });
    expect(created.body.id).toMatch(/^\d+$/);
    const read = await graph(emulator, 'GET', `/v25.0/${created.body.id as string}`, {
      token: admin,
      query: { fields: 'name,privacy,description' },
    });
    expect(read.body).toEqual({
      id: created.body.id,
      name: 'Bakers',
      privacy: 'SECRET',
      description: 'Bread people',
    });
    expect(
      graphError(
        await graph(emulator, 'POST', '/v25.0/community/groups', {
          token: admin,
          body: { name: 'x', privacy: 'PUBLIC' },
        }),
      ).code,
    ).toBe(100);
  });
});

describe('group feeds', () => {
  it('posts as the integration with the admin token and lists the post first', async () => {
    const { id } = group('Engineering');
    const created = await graph(emulator, 'POST', `/v25.0/${id}/feed`, {
      token: admin,
      body: { message: 'Deploy at 5pm' },
    });
    const feed = await graph<List>(emulator, 'GET', `/v25.0/${id}/feed`, {
      token: admin,
      query: { fields: 'message,from' },
    });
    expect(feed.body.data[0]).toEqual({
      id: created.body.id,
      message: 'Deploy at 5pm',
      from: { id: emulator.fixtures.workplace.integrationId, name: expect.any(String) },
    });
  });

  it('posts as the member whose impersonate token is used', async () => {
    const { id } = group('All Company');
    const alan = member(1);
    const created = await graph(emulator, 'POST', `/v25.0/${id}/feed`, {
      token: alan.impersonateToken,
      body: { message: 'Hello from Alan' },
    });
    const post = await graph(emulator, 'GET', `/v25.0/${created.body.id as string}`, {
      token: admin,
      query: { fields: 'from,message' },
    });
    expect(post.body).toMatchObject({ from: { id: alan.id, name: alan.name }, message: 'Hello from Alan' });
  });

  it("refuses an impersonated member a secret group they don't belong to", async () => {
    const response = await graph(emulator, 'POST', `/v25.0/${group('Leadership').id}/feed`, {
      token: member(1).impersonateToken,
      body: { message: 'sneaky' },
    });
    expect(graphError(response).code).toBe(200);
  });

  it('needs the manage group content permission to post', async () => {
    emulator.control.removePermission(emulator.fixtures.workplace.integrationId, 'manage_group_content');
    const response = await graph(emulator, 'POST', `/v25.0/${group('All Company').id}/feed`, {
      token: admin,
      body: { message: 'x' },
    });
    expect(graphError(response).code).toBe(200);
  });
});

describe('group members', () => {
  it('adds by id and by email, lists, and removes', async () => {
    const { id } = group('Leadership');
    await graph(emulator, 'POST', `/v25.0/${id}/members`, { token: admin, body: { member: member(1).id } });
    await graph(emulator, 'POST', `/v25.0/${id}/members`, {
      token: admin,
      form: true,
      body: { email: member(2).email },
    });
    const list = await graph<List>(emulator, 'GET', `/v25.0/${id}/members`, { token: admin });
    expect(list.body.data.map((m) => m.id)).toEqual([member(0).id, member(1).id, member(2).id]);
    expect(
      (
        await graph(emulator, 'DELETE', `/v25.0/${id}/members`, {
          token: admin,
          query: { email: member(2).email },
        })
      ).body,
    ).toEqual({ success: true });
    expect(
      (await graph(emulator, 'DELETE', `/v25.0/${id}/members/${member(1).id}`, { token: admin })).body,
    ).toEqual({ success: true });
    const after = await graph<List>(emulator, 'GET', `/v25.0/${id}/members`, { token: admin });
    expect(after.body.data.map((m) => m.id)).toEqual([member(0).id]);
  });

  it('refuses an unknown member with code 100', async () => {
    const response = await graph(emulator, 'POST', `/v25.0/${group('Engineering').id}/members`, {
      token: admin,
      body: { email: 'nobody@flowcard.example' },
    });
    expect(graphError(response).code).toBe(100);
  });
});

describe('messages', () => {
  it('sends to one member with recipient {id}', async () => {
    const response = await graph(emulator, 'POST', '/v25.0/me/messages', {
      token: admin,
      body: { recipient: { id: member(2).id }, message: { text: 'New lead!' } },
    });
    expect(response.body).toEqual({ recipient_id: member(2).id, message_id: expect.stringMatching(/^m_/) });
    expect(emulator.control.workplaceMessages()).toEqual([
      expect.objectContaining({
        recipientIds: [member(2).id],
        text: 'New lead!',
        fromId: emulator.fixtures.workplace.integrationId,
      }),
    ]);
  });

  it('sends to several members with recipient {ids} in a form body', async () => {
    const response = await graph(emulator, 'POST', '/v25.0/me/messages', {
      token: admin,
      form: true,
      body: { recipient: { ids: [member(0).id, member(1).id] }, message: { text: 'Standup' } },
    });
    expect(response.body).toEqual({
      thread_key: expect.stringMatching(/^t_/),
      message_id: expect.any(String),
    });
  });

  it('refuses an unknown recipient (100/2018001) and an empty message (100)', async () => {
    expect(
      graphError(
        await graph(emulator, 'POST', '/v25.0/me/messages', {
          token: admin,
          body: { recipient: { id: '1' }, message: { text: 'x' } },
        }),
      ),
    ).toMatchObject({ code: 100, error_subcode: 2018001 });
    expect(
      graphError(
        await graph(emulator, 'POST', '/v25.0/me/messages', {
          token: admin,
          body: { recipient: { id: member(0).id }, message: {} },
        }),
      ).code,
    ).toBe(100);
  });
});

describe('people', () => {
  it('reads a member by id or by email, with the requested fields', async () => {
    const ada = member(2);
    for (const key of [ada.id, ada.email]) {
      const response = await graph(emulator, 'GET', `/v25.0/${encodeURIComponent(key)}`, {
        token: admin,
        query: { fields: 'id,name,email,title,department' },
      });
      expect(response.body).toEqual({
        id: ada.id,
        name: ada.name,
        email: ada.email,
        title: ada.title,
        department: ada.department,
      });
    }
  });

  it('hides emails without the read user email permission', async () => {
    emulator.control.removePermission(emulator.fixtures.workplace.integrationId, 'read_user_email');
    const response = await graph(emulator, 'GET', `/v25.0/${member(0).id}`, {
      token: admin,
      query: { fields: 'email,name' },
    });
    expect(response.body).toEqual({ id: member(0).id, name: member(0).name });
  });

  it('batches several ids with GET /?ids=, failing with 803 when one is unknown', async () => {
    const ids = `${member(0).id},${member(1).email}`;
    const response = await graph(emulator, 'GET', '/', { token: admin, query: { ids, fields: 'name' } });
    expect(response.body).toEqual({
      [member(0).id]: { id: member(0).id, name: member(0).name },
      [member(1).email]: { id: member(1).id, name: member(1).name },
    });
    const missing = await graph(emulator, 'GET', '/v25.0/', {
      token: admin,
      query: { ids: `${member(0).id},999` },
    });
    expect(graphError(missing).code).toBe(803);
  });

  it('hands out impersonate tokens to the admin integration, and /me answers as that member', async () => {
    const grace = member(0);
    const read = await graph(emulator, 'GET', `/v25.0/${grace.id}`, {
      token: admin,
      query: { fields: 'impersonate_token' },
    });
    expect(read.body.impersonate_token).toBe(grace.impersonateToken);
    expect((await graph(emulator, 'GET', '/v25.0/me', { token: grace.impersonateToken })).body).toEqual({
      id: grace.id,
      name: grace.name,
    });
  });
});

describe('the custom-integration token', () => {
  it('never expires, even a year later', async () => {
    emulator.control.advanceClock(365 * 24 * 60 * 60 * 1000);
    expect((await graph(emulator, 'GET', '/v25.0/community', { token: admin })).status).toBe(200);
  });

  it('is replaced by rotation: the old one fails with 190, the new one works', async () => {
    const fresh = emulator.control.rotateWorkplaceToken();
    const old = await graph(emulator, 'GET', '/v25.0/community', { token: admin });
    expect(old.status).toBe(400);
    expect(graphError(old).code).toBe(190);
    expect(old.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await graph(emulator, 'GET', '/v25.0/community', { token: fresh })).status).toBe(200);
  });

  it('rotates over HTTP too', async () => {
    const response = await fetch(`${emulator.baseUrl}/__control/workplace/rotate-token`, { method: 'POST' });
    const { token } = (await response.json()) as { token: string };
    expect(token).toMatch(/^DQWR/);
    expect((await graph(emulator, 'GET', '/community', { token })).status).toBe(200);
  });
});
