import type { NewInvite } from '../invite-repository';
import { expectCode, unique, type StoreGetter } from './conformance-context';

const DAY = 24 * 60 * 60_000;

function newInvite(workspaceId: string, createdAt: Date, overrides: Partial<NewInvite> = {}): NewInvite {
  return {
    id: unique('inv'),
    hash: unique('invite-hash'),
    workspaceId,
    email: `${unique('guest')}@example.com`,
    role: 'member',
    invitedBy: unique('admin'),
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 7 * DAY),
    ...overrides,
  };
}

export function describeInviteContract(store: StoreGetter): void {
  describe('invites', () => {
    it('stores an invite with a lower-cased email and finds it by hash', async () => {
      const invite = newInvite(unique('ws'), new Date('2031-01-01T00:00:00.000Z'), {
        email: 'Guest.One@Example.COM',
      });
      const created = await store().invites.create(invite);
      expect(created).toEqual({
        ...invite,
        email: 'guest.one@example.com',
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
      });
      expect(await store().invites.findByHash(invite.hash)).toEqual(created);
      expect(await store().invites.findByHash(unique('other'))).toBeNull();
      await expectCode(
        store().invites.create({ ...invite, id: unique('inv') }),
        'FLOWCARD_ERR_STORE_DUPLICATE',
      );
    });

    it('lists a workspace’s invites newest first, and only its own', async () => {
      const workspaceId = unique('ws');
      const older = newInvite(workspaceId, new Date('2031-01-01T00:00:00.000Z'));
      const newer = newInvite(workspaceId, new Date('2031-01-02T00:00:00.000Z'));
      await store().invites.create(older);
      await store().invites.create(newer);
      await store().invites.create(newInvite(unique('ws'), new Date('2031-01-03T00:00:00.000Z')));
      expect((await store().invites.listByWorkspace(workspaceId)).map((i) => i.id)).toEqual([
        newer.id,
        older.id,
      ]);
    });

    it('is accepted by exactly one of several concurrent accepts, and never after', async () => {
      const invite = newInvite(unique('ws'), new Date());
      await store().invites.create(invite);
      const at = new Date('2031-01-05T00:00:00.000Z');
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map((n) => store().invites.markAccepted(invite.id, `user-${n}`, at)),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const stored = await store().invites.findByHash(invite.hash);
      expect(stored?.acceptedAt).toEqual(at);
      expect(stored?.acceptedBy).toBe(`user-${outcomes.indexOf(true) + 1}`);
      expect(await store().invites.revoke(invite.id, invite.workspaceId, at)).toBe(false);
    });

    it('revokes a pending invite only in its own workspace, once, and a revoked invite cannot be accepted', async () => {
      const invite = newInvite(unique('ws'), new Date());
      await store().invites.create(invite);
      const at = new Date();
      expect(await store().invites.revoke(invite.id, unique('other-ws'), at)).toBe(false);
      expect(await store().invites.revoke(invite.id, invite.workspaceId, at)).toBe(true);
      expect(await store().invites.revoke(invite.id, invite.workspaceId, at)).toBe(false);
      expect(await store().invites.markAccepted(invite.id, 'someone', at)).toBe(false);
      expect((await store().invites.findByHash(invite.hash))?.revokedAt).toEqual(at);
    });
  });
}
