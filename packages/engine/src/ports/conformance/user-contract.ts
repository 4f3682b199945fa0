import { expectCode, unique, type StoreGetter } from './conformance-context';

export function describeUserContract(store: StoreGetter): void {
  describe('users and API keys', () => {
    it('refuses a second user with the same email in any letter case', async () => {
      const email = `${unique('ada')}@example.com`;
      const user = await store().users.create({ email, name: 'Ada' });
      expect(user).toMatchObject({ email, name: 'Ada', memberships: [], version: 1 });
      await expectCode(store().users.create({ email: email.toUpperCase() }), 'FLOWCARD_ERR_USER_EMAIL_TAKEN');
      expect((await store().users.findByEmail(email.toUpperCase()))?.id).toBe(user.id);
    });

    it('adds, changes and removes workspace memberships', async () => {
      const workspaceId = unique('ws');
      const user = await store().users.create({ email: `${unique('u')}@example.com` });
      await store().users.setMembership(user.id, workspaceId, 'member');
      const promoted = await store().users.setMembership(user.id, workspaceId, 'admin');
      expect(promoted.memberships).toEqual([{ workspaceId, role: 'admin' }]);
      expect((await store().users.listByWorkspace(workspaceId)).map((u) => u.id)).toEqual([user.id]);
      const removed = await store().users.removeMembership(user.id, workspaceId);
      expect(removed.memberships).toEqual([]);
      expect(await store().users.listByWorkspace(workspaceId)).toEqual([]);
    });

    it('keeps memberships in the order they were added when a role changes', async () => {
      const user = await store().users.create({ email: `${unique('u')}@example.com` });
      const [first, second] = [unique('ws'), unique('ws')];
      await store().users.setMembership(user.id, first, 'member');
      await store().users.setMembership(user.id, second, 'member');
      const changed = await store().users.setMembership(user.id, first, 'owner');
      expect(changed.memberships).toEqual([
        { workspaceId: first, role: 'owner' },
        { workspaceId: second, role: 'member' },
      ]);
    });

    it('keeps both of two concurrent membership changes', async () => {
      const user = await store().users.create({ email: `${unique('u')}@example.com` });
      const [a, b] = [unique('ws'), unique('ws')];
      await Promise.all([
        store().users.setMembership(user.id, a, 'owner'),
        store().users.setMembership(user.id, b, 'member'),
      ]);
      const memberships = (await store().users.findById(user.id))?.memberships ?? [];
      expect([...memberships].sort((x, y) => x.workspaceId.localeCompare(y.workspaceId))).toEqual(
        [
          { workspaceId: a, role: 'owner' },
          { workspaceId: b, role: 'member' },
        ].sort((x, y) => x.workspaceId.localeCompare(y.workspaceId)),
      );
    });

    it('finds the user and role behind an API key by its hash, and not once it is revoked', async () => {
      const workspaceId = unique('ws');
      const user = await store().users.create({
        email: `${unique('u')}@example.com`,
        memberships: [{ workspaceId, role: 'admin' }],
      });
      const hash = unique('hash');
      const key = await store().users.createApiKey({
        id: unique('key'),
        userId: user.id,
        workspaceId,
        name: 'ci',
        hash,
      });
      const identity = await store().users.findByApiKeyHash(hash);
      expect(identity).toMatchObject({
        user: { id: user.id },
        apiKey: { id: key.id, workspaceId },
        role: 'admin',
      });
      expect(await store().users.findByApiKeyHash(unique('other-hash'))).toBeNull();
      expect(await store().users.revokeApiKey(key.id, new Date())).toBe(true);
      expect(await store().users.revokeApiKey(key.id, new Date())).toBe(false);
      expect(await store().users.findByApiKeyHash(hash)).toBeNull();
      expect((await store().users.listApiKeys(user.id))[0]?.revokedAt).toBeInstanceOf(Date);
    });

    it('refuses a second API key with the same hash', async () => {
      const user = await store().users.create({ email: `${unique('u')}@example.com` });
      const hash = unique('hash');
      await store().users.createApiKey({
        id: unique('k'),
        userId: user.id,
        workspaceId: 'w',
        name: 'a',
        hash,
      });
      await expectCode(
        store().users.createApiKey({ id: unique('k'), userId: user.id, workspaceId: 'w', name: 'b', hash }),
        'FLOWCARD_ERR_STORE_DUPLICATE',
      );
    });

    it('reports no role for a key whose workspace membership was removed', async () => {
      const workspaceId = unique('ws');
      const user = await store().users.create({
        email: `${unique('u')}@example.com`,
        memberships: [{ workspaceId, role: 'member' }],
      });
      const hash = unique('hash');
      await store().users.createApiKey({ id: unique('k'), userId: user.id, workspaceId, name: 'a', hash });
      await store().users.removeMembership(user.id, workspaceId);
      expect((await store().users.findByApiKeyHash(hash))?.role).toBeNull();
    });

    it('keeps the password hash apart from the user and records last activity', async () => {
      const user = await store().users.create({ email: `${unique('u')}@example.com`, name: 'Pat' });
      expect(await store().users.hasAny()).toBe(true);
      expect(user.lastSeenAt).toBeNull();
      expect(await store().users.findPasswordHash(user.id)).toBeNull();
      await store().users.setPasswordHash(user.id, 'scrypt$16384$8$1$salt$hash');
      expect(await store().users.findPasswordHash(user.id)).toBe('scrypt$16384$8$1$salt$hash');
      const read = await store().users.findById(user.id);
      expect(JSON.stringify(read)).not.toContain('scrypt$');
      const seen = new Date('2031-02-03T04:05:06.000Z');
      await store().users.touchLastSeen(user.id, seen);
      await store().users.setName(user.id, 'Pat Doe');
      expect(await store().users.findById(user.id)).toMatchObject({ name: 'Pat Doe', lastSeenAt: seen });
      await expectCode(store().users.setPasswordHash(unique('nobody'), 'x'), 'FLOWCARD_ERR_STORE_NOT_FOUND');
    });
  });
}
