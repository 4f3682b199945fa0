import { unique, type StoreGetter } from './conformance-context';

export function describeNotificationContract(store: StoreGetter): void {
  describe('notifications', () => {
    it('lists a user’s notifications newest first, and only theirs', async () => {
      const [workspaceId, userId] = [unique('ws'), unique('user')];
      const first = await store().notifications.create({
        workspaceId,
        userId,
        kind: 'configuration.expiring',
        title: 'one',
        body: 'b',
      });
      const second = await store().notifications.create({
        workspaceId,
        userId,
        kind: 'configuration.expiring',
        title: 'two',
        body: 'b',
        configurationId: 'c1',
        data: { daysLeft: 15 },
      });
      await store().notifications.create({
        workspaceId,
        userId: unique('someone-else'),
        kind: 'k',
        title: 'x',
        body: 'b',
      });
      const listed = await store().notifications.listForUser({ userId });
      expect(listed.map((n) => n.id)).toEqual([second.id, first.id]);
      expect(listed[0]).toMatchObject({ configurationId: 'c1', data: { daysLeft: 15 }, readAt: null });
    });

    it('marks one read only for its recipient, then all, and counts what is unread', async () => {
      const [workspaceId, userId] = [unique('ws'), unique('user')];
      const a = await store().notifications.create({ workspaceId, userId, kind: 'k', title: 'a', body: '' });
      await store().notifications.create({ workspaceId, userId, kind: 'k', title: 'b', body: '' });
      await store().notifications.create({ workspaceId, userId, kind: 'k', title: 'c', body: '' });
      expect(await store().notifications.countUnread(userId)).toBe(3);
      expect(await store().notifications.markRead(a.id, unique('intruder'), new Date())).toBe(false);
      expect(await store().notifications.markRead(a.id, userId, new Date())).toBe(true);
      expect(await store().notifications.markRead(a.id, userId, new Date())).toBe(false);
      expect(
        (await store().notifications.listForUser({ userId, unreadOnly: true })).map((n) => n.title).sort(),
      ).toEqual(['b', 'c']);
      expect(await store().notifications.markAllRead(userId, new Date(), workspaceId)).toBe(2);
      expect(await store().notifications.countUnread(userId, workspaceId)).toBe(0);
    });
  });
}
