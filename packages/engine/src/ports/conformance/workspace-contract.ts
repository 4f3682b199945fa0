import { expectCode, fakeSealed, unique, type StoreGetter } from './conformance-context';

export function describeWorkspaceContract(store: StoreGetter): void {
  describe('workspaces', () => {
    it('creates a workspace that can be found by id, and finds nothing for an unknown id', async () => {
      const created = await store().workspaces.create({ name: unique('Acme') });
      expect(await store().workspaces.findById(created.id)).toEqual(created);
      expect(created).toMatchObject({ metaApp: null, version: 1 });
      expect(await store().workspaces.findById(unique('missing'))).toBeNull();
    });

    it('renames with the current version and refuses a stale one', async () => {
      const created = await store().workspaces.create({ name: 'Before' });
      const renamed = await store().workspaces.rename(created.id, 1, 'After');
      expect(renamed).toMatchObject({ name: 'After', version: 2 });
      await expectCode(
        store().workspaces.rename(created.id, 1, 'Stale'),
        'FLOWCARD_ERR_STORE_VERSION_CONFLICT',
      );
      await expectCode(store().workspaces.rename(unique('missing'), 1, 'X'), 'FLOWCARD_ERR_STORE_NOT_FOUND');
    });

    it("stores the workspace's own Meta app and switches back to the shared app", async () => {
      const workspace = await store().workspaces.create({ name: unique('ws') });
      const appSecret = fakeSealed('k1');
      const at = new Date('2026-01-02T03:04:05.000Z');
      const own = await store().workspaces.setMetaApp(workspace.id, {
        appId: '1234',
        appSecret,
        updatedAt: at,
        updatedBy: 'u1',
      });
      expect(own.metaApp).toEqual({ appId: '1234', appSecret, updatedAt: at, updatedBy: 'u1' });
      expect((await store().workspaces.findById(workspace.id))?.metaApp?.appSecret).toEqual(appSecret);
      const shared = await store().workspaces.setMetaApp(workspace.id, null);
      expect(shared.metaApp).toBeNull();
    });

    it('lists workspace app secrets not under a key and replaces one only if it is unchanged', async () => {
      const workspace = await store().workspaces.create({ name: unique('ws') });
      const oldKey = unique('old');
      const sealed = fakeSealed(oldKey);
      await store().workspaces.setMetaApp(workspace.id, {
        appId: '1',
        appSecret: sealed,
        updatedAt: new Date(),
        updatedBy: 'u',
      });
      const newKey = unique('new');
      const pending = await store().workspaces.listSealedNotUnder(newKey, undefined, 10_000);
      expect(pending).toContainEqual({ id: workspace.id, sealed });
      const next = { ...fakeSealed(newKey), iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext };
      expect(await store().workspaces.replaceSealed(workspace.id, sealed, next)).toBe(true);
      expect(await store().workspaces.replaceSealed(workspace.id, sealed, next)).toBe(false);
      expect((await store().workspaces.findById(workspace.id))?.metaApp?.appSecret).toEqual(next);
      const after = await store().workspaces.listSealedNotUnder(newKey, undefined, 10_000);
      expect(after.map((record) => record.id)).not.toContain(workspace.id);
    });
  });
}
