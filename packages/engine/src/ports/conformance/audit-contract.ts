import { unique, type StoreGetter } from './conformance-context';

export function describeAuditContract(store: StoreGetter): void {
  describe('audit events', () => {
    it('lists events in the order they were appended, even within one millisecond', async () => {
      const workspaceId = unique('ws');
      const at = new Date('2026-01-01T00:00:00.000Z');
      const actions = ['created', 'renamed', 'shared', 'unshared', 'transferred', 'deleted'];
      for (const action of actions) {
        await store().audit.append({
          workspaceId,
          configurationId: 'c1',
          actorId: 'u1',
          action: `configuration.${action}`,
          at,
        });
      }
      const listed = await store().audit.list({ workspaceId });
      expect(listed.map((e) => e.action)).toEqual(actions.map((a) => `configuration.${a}`));
      const newestFirst = await store().audit.list({ workspaceId, order: 'desc', limit: 2 });
      expect(newestFirst.map((e) => e.action)).toEqual([
        'configuration.deleted',
        'configuration.transferred',
      ]);
    });

    it('orders by time first and filters by configuration', async () => {
      const workspaceId = unique('ws');
      await store().audit.append({
        workspaceId,
        configurationId: 'c2',
        actorId: 'u',
        action: 'late',
        at: new Date('2026-01-02T00:00:00.000Z'),
      });
      await store().audit.append({
        workspaceId,
        configurationId: 'c2',
        actorId: 'u',
        action: 'early',
        at: new Date('2026-01-01T00:00:00.000Z'),
      });
      await store().audit.append({
        workspaceId,
        configurationId: 'c3',
        actorId: 'u',
        action: 'other',
        at: new Date('2026-01-01T12:00:00.000Z'),
      });
      expect((await store().audit.list({ workspaceId, configurationId: 'c2' })).map((e) => e.action)).toEqual(
        ['early', 'late'],
      );
      expect((await store().audit.list({ workspaceId })).map((e) => e.action)).toEqual([
        'early',
        'other',
        'late',
      ]);
    });

    it('keeps free-form details as given, including keys MongoDB dislikes', async () => {
      const workspaceId = unique('ws');
      const details = { $op: 'share', 'user.ids': ['a', 'b'], nested: { n: 1, ok: true, none: null } };
      const event = await store().audit.append({
        workspaceId,
        actorId: 'system',
        action: 'configuration.shared',
        details,
      });
      expect((await store().audit.list({ workspaceId }))[0]).toEqual(event);
      expect(event).toMatchObject({ details, configurationId: null, actorId: 'system' });
    });
  });
}
