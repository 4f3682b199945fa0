import {
  startMetaConnectorHarness,
  type MetaConnectorHarness,
} from '../../../test/connectors/meta-connector-harness';
import { failureOf } from '../../../test/connectors/failure-of';

const ALL_COMPANY = '500000000000521';
const ENGINEERING = '500000000000522';
const GRACE = '500000000000511';
const ALAN = '500000000000512';
const ADA = '500000000000513';
const LINUS = '500000000000514';

type ScimUser = {
  id: string;
  userName: string;
  active: boolean;
  title?: string;
  externalId?: string;
  name: { givenName?: string; familyName?: string };
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
    department?: string;
    employeeNumber?: string;
  };
};

let h: MetaConnectorHarness;
let adminToken: string;

beforeAll(async () => {
  h = await startMetaConnectorHarness('workplace');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.reset();
  adminToken = h.emulator.fixtures.workplace.adminToken;
});

const groupMemberIds = async (groupId: string): Promise<string[]> =>
  (
    await h.graphGet<{ data: { id: string }[] }>(`/${groupId}/members`, adminToken, { limit: '100' })
  ).data.map((m) => m.id);

async function scimUser(id: string): Promise<ScimUser> {
  const response = await fetch(`${h.emulator.scimUrl}/Users/${id}`, {
    headers: { authorization: `Bearer ${h.emulator.fixtures.scim.token}` },
  });
  return (await response.json()) as ScimUser;
}

describe('workplace connector against the Meta emulator', () => {
  it('declares the sunset plainly in its manifest', () => {
    const lifecycle = h.connector.manifest.lifecycle;
    expect(lifecycle).toMatchObject({ status: 'sunset', readOnlyAt: '2025-09-01', sunsetAt: '2026-06-01' });
    expect(lifecycle.message).toContain('read-only on 2025-09-01');
    expect(lifecycle.message).toContain('shut down on 2026-06-01');
  });

  it('reads the community (the connection test card)', async () => {
    const { output } = await h.run('get-community');
    expect(output).toEqual({
      id: h.emulator.fixtures.workplace.communityId,
      name: 'Flowcard Workplace',
      privacy: 'CLOSED',
    });
  });

  it('posts to a group, and the post is in the group feed', async () => {
    const { output } = await h.run('post-to-group', {
      groupId: ALL_COMPANY,
      message: 'The cafeteria is open again.',
    });
    const id = (output as { id: string }).id;
    const feed = await h.graphGet<{ data: { id: string; message: string; from: { id: string } }[] }>(
      `/${ALL_COMPANY}/feed`,
      adminToken,
      { fields: 'id,message,from' },
    );
    expect(feed.data[0]).toEqual({
      id,
      message: 'The cafeteria is open again.',
      from: { id: h.emulator.fixtures.workplace.integrationId, name: 'Flowcard Integration' },
    });
  });

  it('creates a group with the given privacy', async () => {
    const { output } = await h.run('create-group', {
      name: 'Release train',
      description: 'Ship it',
      privacy: 'SECRET',
    });
    const id = (output as { id: string }).id;
    const group = await h.graphGet(`/${id}`, adminToken, { fields: 'name,description,privacy' });
    expect(group).toEqual({ id, name: 'Release train', description: 'Ship it', privacy: 'SECRET' });
  });

  it('adds a member to a group by id', async () => {
    await h.run('add-group-member', { groupId: ENGINEERING, memberId: ADA });
    expect(await groupMemberIds(ENGINEERING)).toEqual([GRACE, ALAN, ADA]);
  });

  it('adds a member to a group by email', async () => {
    const { output } = await h.run('add-group-member', {
      groupId: ENGINEERING,
      email: 'linus.frost@flowcard.example',
    });
    expect(output).toEqual({ success: true });
    expect(await groupMemberIds(ENGINEERING)).toContain(LINUS);
  });

  it('refuses an add with neither member id nor email before calling Workplace', async () => {
    h.emulator.control.clearCalls();
    const error = await failureOf(h.run('add-group-member', { groupId: ENGINEERING }));
    expect(error.signal).toBe('invalid');
    expect(h.emulator.control.calls()).toHaveLength(0);
  });

  it('removes a member from a group by id and by email', async () => {
    await h.run('remove-group-member', { groupId: ALL_COMPANY, memberId: LINUS });
    await h.run('remove-group-member', { groupId: ALL_COMPANY, email: 'ada.lovelace@flowcard.example' });
    expect(await groupMemberIds(ALL_COMPANY)).toEqual([GRACE, ALAN]);
  });

  it('lists the groups of the community', async () => {
    const { output } = await h.run('list-groups');
    expect(
      (output as { id: string; name: string; privacy: string }[]).map((g) => [g.name, g.privacy]),
    ).toEqual([
      ['All Company', 'OPEN'],
      ['Engineering', 'CLOSED'],
      ['Leadership', 'SECRET'],
    ]);
  });

  it('lists groups across Graph pages', async () => {
    for (let i = 0; i < 100; i++) await h.run('create-group', { name: `Team ${i}` });
    const { output, calls } = await h.run('list-groups');
    expect(output).toHaveLength(103);
    expect(calls).toBe(2);
  });

  it('lists the members of a group with their emails', async () => {
    const { output } = await h.run('list-group-members', { groupId: ENGINEERING });
    expect(output).toEqual([
      { id: GRACE, name: 'Grace Hopper', email: 'grace.hopper@flowcard.example', administrator: true },
      { id: ALAN, name: 'Alan Turing', email: 'alan.turing@flowcard.example', administrator: false },
    ]);
  });

  it('sends one message to several members in one conversation', async () => {
    const { output } = await h.run('send-message', {
      recipientIds: [ALAN, ADA],
      text: 'Stand-up moved to 10:00.',
    });
    const { messageId, threadKey } = output as { messageId: string; threadKey: string };
    expect(threadKey).toBeDefined();
    expect(h.emulator.control.workplaceMessages()).toEqual([
      expect.objectContaining({
        id: messageId,
        recipientIds: [ALAN, ADA],
        text: 'Stand-up moved to 10:00.',
        threadKey,
      }),
    ]);
  });

  it('sends a message to one member', async () => {
    const { output } = await h.run('send-message', { recipientIds: [LINUS], text: 'Your laptop is ready.' });
    expect(output).toEqual({ messageId: expect.stringMatching(/^m_/) });
    expect(h.emulator.control.workplaceMessages()[0]).toMatchObject({
      recipientIds: [LINUS],
      text: 'Your laptop is ready.',
    });
  });

  it('finds a member by email', async () => {
    const { output } = await h.run('find-member-by-email', { email: 'alan.turing@flowcard.example' });
    expect(output).toEqual({
      id: ALAN,
      name: 'Alan Turing',
      email: 'alan.turing@flowcard.example',
      title: 'Research Lead',
      department: 'Research',
    });
  });

  it('gets a member by id', async () => {
    const { output } = await h.run('get-member', { memberId: GRACE });
    expect(output).toMatchObject({
      id: GRACE,
      name: 'Grace Hopper',
      title: 'Chief Engineer',
      department: 'Engineering',
    });
  });

  it("posts in a group in a member's name with the member's impersonation token", async () => {
    const { output } = await h.run('post-as-member', {
      memberId: ALAN,
      groupId: ENGINEERING,
      message: 'Paper draft is ready for review.',
    });
    const id = (output as { id: string }).id;
    expect(output).toEqual({ id, memberId: ALAN });
    const created = await h.graphGet(`/${id}`, adminToken, { fields: 'message,from' });
    expect(created).toEqual({
      id,
      message: 'Paper draft is ready for review.',
      from: { id: ALAN, name: 'Alan Turing' },
    });
  });

  it('signals permission when the integration may not impersonate', async () => {
    h.emulator.control.removePermission(h.emulator.fixtures.workplace.integrationId, 'impersonate_account');
    const error = await failureOf(
      h.run('post-as-member', { memberId: ALAN, groupId: ENGINEERING, message: 'Hi' }),
    );
    expect(error).toMatchObject({ signal: 'permission', permission: 'impersonate_account' });
    expect(error.message).toContain('Impersonate account');
  });

  it('new-post-in-group yields the posts made after the cursor', async () => {
    const since = Math.floor(h.emulator.control.now().getTime() / 1000);
    h.emulator.control.advanceClock(60_000);
    const { output } = await h.run('post-to-group', { groupId: ALL_COMPANY, message: 'Town hall at 4pm' });
    const poll = await h.poll('new-post-in-group', { groupId: ALL_COMPANY }, { since });
    expect(poll.items.map((i) => i.key)).toEqual([(output as { id: string }).id]);
    expect(poll.items[0].output).toMatchObject({
      message: 'Town hall at 4pm',
      from: { id: h.emulator.fixtures.workplace.integrationId },
    });
    expect(poll.cursor.since).toBe(since + 60);
  });

  describe('SCIM provisioning', () => {
    it('provisions a user who then exists, active, with the given attributes', async () => {
      const { output } = await h.run('scim-provision-user', {
        userName: 'rosalind.franklin@flowcard.example',
        givenName: 'Rosalind',
        familyName: 'Franklin',
        externalId: 'hr-0520',
        title: 'Researcher',
        department: 'Research',
      });
      const id = (output as ScimUser).id;
      expect(await scimUser(id)).toMatchObject({
        userName: 'rosalind.franklin@flowcard.example',
        active: true,
        externalId: 'hr-0520',
        title: 'Researcher',
        name: { givenName: 'Rosalind', familyName: 'Franklin' },
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Research' },
      });
    });

    it('deprovisions a user, who is then inactive', async () => {
      const { output } = await h.run('scim-deprovision-user', { userId: ALAN });
      expect(output).toMatchObject({ id: ALAN, active: false });
      expect((await scimUser(ALAN)).active).toBe(false);
    });

    it('reactivates a deprovisioned user', async () => {
      await h.run('scim-deprovision-user', { userId: ALAN });
      await h.run('scim-reactivate-user', { userId: ALAN });
      expect((await scimUser(ALAN)).active).toBe(true);
    });

    it('updates only the attributes given', async () => {
      await h.run('scim-update-user', { userId: ALAN, title: 'Head of Research', department: 'Science' });
      const user = await scimUser(ALAN);
      expect(user).toMatchObject({
        title: 'Head of Research',
        name: { givenName: 'Alan', familyName: 'Turing' },
        userName: 'alan.turing@flowcard.example',
      });
      expect(user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toMatchObject({
        department: 'Science',
        employeeNumber: 'E-1002',
      });
    });

    it('refuses an update that changes nothing', async () => {
      const error = await failureOf(h.run('scim-update-user', { userId: ALAN }));
      expect(error.signal).toBe('invalid');
    });

    it('finds a user by externalId and by userName, and says when there is none', async () => {
      expect(await h.run('scim-find-user', { attribute: 'externalId', value: 'hr-0515' })).toMatchObject({
        output: { found: true, user: { id: '500000000000515' } },
      });
      expect(await h.run('scim-find-user', { value: 'GRACE.HOPPER@flowcard.example' })).toMatchObject({
        output: { found: true, user: { id: GRACE } },
      });
      expect((await h.run('scim-find-user', { value: 'nobody@flowcard.example' })).output).toEqual({
        found: false,
      });
    });

    it('lists users across SCIM pages', async () => {
      for (let i = 0; i < 100; i++)
        await h.run('scim-provision-user', {
          userName: `temp${i}@flowcard.example`,
          givenName: 'Temp',
          familyName: String(i),
        });
      const { output, calls } = await h.run('scim-list-users');
      expect(output).toHaveLength(103);
      expect(calls).toBe(2);
      const filtered = await h.run('scim-list-users', { filter: 'userName eq "temp7@flowcard.example"' });
      expect((filtered.output as ScimUser[]).map((u) => u.userName)).toEqual(['temp7@flowcard.example']);
    });

    it('signals invalid when the userName is taken', async () => {
      const error = await failureOf(
        h.run('scim-provision-user', {
          userName: 'grace.hopper@flowcard.example',
          givenName: 'Grace',
          familyName: 'Hopper',
        }),
      );
      expect(error.signal).toBe('invalid');
      expect(error.message).toMatch(/uniqueness|exists|taken/i);
    });

    it('signals auth when the SCIM token is wrong', async () => {
      const configuration = h.configuration('scim');
      const error = await failureOf(
        h.run('scim-list-users', {}, { ...configuration, secrets: { accessToken: 'revoked' } }),
      );
      expect(error.signal).toBe('auth');
    });
  });

  describe('error paths', () => {
    it('signals auth when the integration token was rotated', async () => {
      h.emulator.control.rotateWorkplaceToken();
      const error = await failureOf(h.run('post-to-group', { groupId: ALL_COMPANY, message: 'Hi' }));
      expect(error).toMatchObject({ signal: 'auth', code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN' });
    });

    it('signals rate_limited with a wait when the app is throttled', async () => {
      h.emulator.control.rateLimit({ code: 4, minutes: 3 });
      const error = await failureOf(h.run('list-groups'));
      expect(error.signal).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(0);
    });

    it('signals permission, naming it, when the integration lost manage_groups', async () => {
      h.emulator.control.removePermission(h.emulator.fixtures.workplace.integrationId, 'manage_groups');
      const error = await failureOf(h.run('create-group', { name: 'Nope' }));
      expect(error).toMatchObject({ signal: 'permission', permission: 'manage_groups' });
    });
  });
});
