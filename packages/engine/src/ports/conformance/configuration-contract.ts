import type { NewConfiguration } from '../configuration-repository';
import { expectCode, fakeSealed, unique, type StoreGetter } from './conformance-context';

function draft(overrides: Partial<NewConfiguration> = {}): NewConfiguration {
  return {
    workspaceId: unique('ws'),
    connector: 'facebook-pages',
    kind: 'page',
    nickname: unique('Main page'),
    ownerId: unique('owner'),
    ...overrides,
  };
}

export function describeConfigurationContract(store: StoreGetter): void {
  describe('configurations', () => {
    it('creates a private, active configuration at version 1 that reads back field for field', async () => {
      const secrets = fakeSealed('k1');
      const expiresAt = new Date('2026-03-01T00:00:00.000Z');
      const created = await store().configurations.create(
        draft({
          values: { pageName: 'Bakery', retries: 3 },
          secrets,
          expiresAt,
          grantedScopes: ['pages_show_list'],
          externalIds: { metaPageId: '42' },
        }),
      );
      expect(created).toMatchObject({
        sharing: { mode: 'private', userIds: [] },
        status: 'active',
        version: 1,
        secrets,
        values: { pageName: 'Bakery', retries: 3 },
        expiresAt,
        dataAccessExpiresAt: null,
        grantedScopes: ['pages_show_list'],
        externalIds: { metaPageId: '42' },
        remindersSent: [],
        lastUsedAt: null,
      });
      expect(await store().configurations.findById(created.id)).toEqual(created);
      expect(await store().configurations.findById(unique('missing'))).toBeNull();
    });

    it('refuses a nickname the same owner already uses for the connector in the workspace', async () => {
      const first = await store().configurations.create(draft());
      const same = {
        workspaceId: first.workspaceId,
        connector: first.connector,
        ownerId: first.ownerId,
        nickname: first.nickname,
      };
      await expectCode(
        store().configurations.create(draft(same)),
        'FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN',
      );
      await expect(
        store().configurations.create(draft({ ...same, ownerId: unique('other-owner') })),
      ).resolves.toBeDefined();
      await expect(
        store().configurations.create(draft({ ...same, connector: 'workplace' })),
      ).resolves.toBeDefined();
      await expect(
        store().configurations.create(draft({ ...same, workspaceId: unique('other-ws') })),
      ).resolves.toBeDefined();
    });

    it('refuses renaming to a nickname the owner already uses', async () => {
      const a = await store().configurations.create(draft());
      const b = await store().configurations.create(
        draft({ workspaceId: a.workspaceId, ownerId: a.ownerId, nickname: unique('B') }),
      );
      await expectCode(
        store().configurations.update(b.id, b.version, { nickname: a.nickname }),
        'FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN',
      );
      expect((await store().configurations.findById(b.id))?.nickname).toBe(b.nickname);
    });

    it('lists what a user may use: their own, workspace-shared, and shared with them by name', async () => {
      const workspaceId = unique('ws');
      const [me, alice, bob] = [unique('me'), unique('alice'), unique('bob')];
      const mine = await store().configurations.create(
        draft({ workspaceId, ownerId: me, nickname: 'a mine' }),
      );
      const everyone = await store().configurations.create(
        draft({
          workspaceId,
          ownerId: alice,
          nickname: 'b everyone',
          sharing: { mode: 'workspace', userIds: [] },
        }),
      );
      const named = await store().configurations.create(
        draft({
          workspaceId,
          ownerId: alice,
          nickname: 'c named',
          sharing: { mode: 'users', userIds: [bob, me] },
        }),
      );
      await store().configurations.create(
        draft({ workspaceId, ownerId: alice, nickname: 'd alice private' }),
      );
      await store().configurations.create(
        draft({
          workspaceId,
          ownerId: alice,
          nickname: 'e bob only',
          sharing: { mode: 'users', userIds: [bob] },
        }),
      );
      await store().configurations.create(draft({ ownerId: me, nickname: 'f mine elsewhere' }));

      const usable = await store().configurations.listUsableBy({ workspaceId, userId: me });
      expect(usable.map((c) => c.id)).toEqual([mine.id, everyone.id, named.id]);
      const all = await store().configurations.listByWorkspace({ workspaceId });
      expect(all).toHaveLength(5);
    });

    it('filters usable configurations by connector', async () => {
      const workspaceId = unique('ws');
      const me = unique('me');
      await store().configurations.create(draft({ workspaceId, ownerId: me, connector: 'facebook-pages' }));
      const workplace = await store().configurations.create(
        draft({ workspaceId, ownerId: me, connector: 'workplace' }),
      );
      const usable = await store().configurations.listUsableBy({
        workspaceId,
        userId: me,
        connector: 'workplace',
      });
      expect(usable.map((c) => c.id)).toEqual([workplace.id]);
    });

    it('stops listing a configuration for a user once it is unshared', async () => {
      const workspaceId = unique('ws');
      const me = unique('me');
      const shared = await store().configurations.create(
        draft({ workspaceId, ownerId: unique('owner'), sharing: { mode: 'users', userIds: [me] } }),
      );
      await store().configurations.update(shared.id, shared.version, {
        sharing: { mode: 'private', userIds: [] },
      });
      expect(await store().configurations.listUsableBy({ workspaceId, userId: me })).toEqual([]);
    });

    it('applies an update at the expected version, bumps the version and refuses a stale one', async () => {
      const created = await store().configurations.create(
        draft({ expiresAt: new Date('2026-01-01T00:00:00.000Z') }),
      );
      const secrets = fakeSealed('k2');
      const updated = await store().configurations.update(created.id, 1, {
        nickname: 'Renamed',
        ownerId: 'new-owner',
        secrets,
        status: 'needs_reauth',
        expiresAt: null,
        remindersSent: ['expiresAt:15d'],
      });
      expect(updated).toMatchObject({
        version: 2,
        nickname: 'Renamed',
        ownerId: 'new-owner',
        secrets,
        status: 'needs_reauth',
        expiresAt: null,
      });
      expect(updated.remindersSent).toEqual(['expiresAt:15d']);
      expect(updated.kind).toBe(created.kind);
      await expectCode(
        store().configurations.update(created.id, 1, { nickname: 'Lost update' }),
        'FLOWCARD_ERR_STORE_VERSION_CONFLICT',
      );
      await expectCode(
        store().configurations.update(unique('missing'), 1, { nickname: 'x' }),
        'FLOWCARD_ERR_STORE_NOT_FOUND',
      );
      expect((await store().configurations.findById(created.id))?.nickname).toBe('Renamed');
    });

    it('lets exactly one of several concurrent updates at the same version win, every time', async () => {
      // Repeated with four writers: a store whose compare-and-set is not atomic loses this race
      // often but not always, so one pair of writers would let it pass by luck.
      for (let round = 0; round < 8; round += 1) {
        const created = await store().configurations.create(draft());
        const writers = ['a', 'b', 'c', 'd'];
        const results = await Promise.allSettled(
          writers.map((who) => store().configurations.update(created.id, 1, { values: { who } })),
        );
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        expect(won).toHaveLength(1);
        expect(won[0]?.version).toBe(2);
        for (const lost of results.filter((r) => r.status === 'rejected')) {
          expect(lost).toMatchObject({ reason: { code: 'FLOWCARD_ERR_STORE_VERSION_CONFLICT' } });
        }
        const stored = await store().configurations.findById(created.id);
        expect(stored).toMatchObject({ version: 2, values: won[0]?.values });
      }
    });

    it('records use without changing the version', async () => {
      const created = await store().configurations.create(draft());
      const at = new Date('2026-02-03T04:05:06.000Z');
      await store().configurations.touchLastUsed(created.id, at);
      expect(await store().configurations.findById(created.id)).toMatchObject({ lastUsedAt: at, version: 1 });
    });

    it('finds configurations by external id, after external ids are replaced too', async () => {
      const workspaceId = unique('ws');
      const pageId = unique('page');
      const created = await store().configurations.create(
        draft({ workspaceId, externalIds: { metaPageId: pageId, metaUserId: 'u7' } }),
      );
      expect(
        (await store().configurations.findByExternalId({ key: 'metaPageId', value: pageId })).map(
          (c) => c.id,
        ),
      ).toEqual([created.id]);
      expect(
        await store().configurations.findByExternalId({
          key: 'metaPageId',
          value: pageId,
          workspaceId: unique('other'),
        }),
      ).toEqual([]);
      expect(await store().configurations.findByExternalId({ key: 'metaUserId', value: pageId })).toEqual([]);
      const newPageId = unique('page');
      await store().configurations.update(created.id, 1, { externalIds: { metaPageId: newPageId } });
      expect(await store().configurations.findByExternalId({ key: 'metaPageId', value: pageId })).toEqual([]);
      expect(
        (
          await store().configurations.findByExternalId({
            key: 'metaPageId',
            value: newPageId,
            connector: 'facebook-pages',
          })
        )[0]?.id,
      ).toBe(created.id);
    });

    it('finds configurations due for the lifecycle scheduler by either expiry, page by page', async () => {
      // Far-past dates keep other tests' configurations (which expire later or never) out of the scan.
      const base = new Date('2001-01-01T00:00:00.000Z').getTime();
      const day = 86_400_000;
      const dueByToken = await store().configurations.create(draft({ expiresAt: new Date(base + day) }));
      const dueByDataAccess = await store().configurations.create(
        draft({ dataAccessExpiresAt: new Date(base + 2 * day) }),
      );
      await store().configurations.create(draft({ expiresAt: new Date(base + 30 * day) }));
      await store().configurations.create(draft({ expiresAt: new Date(base + day), status: 'revoked' }));
      const query = {
        statuses: ['active', 'expiring'] as const,
        dueBefore: new Date(base + 10 * day),
        limit: 1,
      };
      const first = await store().configurations.listDueForLifecycle(query);
      const second = await store().configurations.listDueForLifecycle({ ...query, afterId: first[0]?.id });
      const third = await store().configurations.listDueForLifecycle({ ...query, afterId: second[0]?.id });
      expect([...first, ...second].map((c) => c.id).sort()).toEqual(
        [dueByToken.id, dueByDataAccess.id].sort(),
      );
      expect(third).toEqual([]);
    });

    it('deletes once, and refuses a delete at a stale version', async () => {
      const created = await store().configurations.create(draft());
      await store().configurations.update(created.id, 1, { nickname: unique('v2') });
      await expectCode(store().configurations.delete(created.id, 1), 'FLOWCARD_ERR_STORE_VERSION_CONFLICT');
      expect(await store().configurations.delete(created.id, 2)).toBe(true);
      expect(await store().configurations.delete(created.id)).toBe(false);
      expect(await store().configurations.findById(created.id)).toBeNull();
    });

    it('loads several configurations by id, skipping unknown ids', async () => {
      const a = await store().configurations.create(draft());
      const b = await store().configurations.create(draft());
      const found = await store().configurations.findByIds([b.id, unique('missing'), a.id]);
      expect(found.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store().configurations.findByIds([])).toEqual([]);
    });

    it('re-wraps sealed secrets by compare-and-set without bumping the version', async () => {
      const oldKey = unique('old');
      const newKey = unique('new');
      const sealed = fakeSealed(oldKey);
      const created = await store().configurations.create(draft({ secrets: sealed }));
      await store().configurations.create(draft({ secrets: null }));
      expect(await store().configurations.countSealedNotUnder(newKey)).toBeGreaterThanOrEqual(1);
      const listed = await store().configurations.listSealedNotUnder(newKey, undefined, 10_000);
      expect(listed).toContainEqual({ id: created.id, sealed });
      expect(listed.every((record) => record.sealed !== null)).toBe(true);
      const next = { ...sealed, keyId: newKey, wrappedKey: fakeSealed(newKey).wrappedKey };
      expect(await store().configurations.replaceSealed(created.id, sealed, next)).toBe(true);
      expect(await store().configurations.findById(created.id)).toMatchObject({ secrets: next, version: 1 });
      const remaining = await store().configurations.listSealedNotUnder(newKey, undefined, 10_000);
      expect(remaining.map((record) => record.id)).not.toContain(created.id);
      const page = await store().configurations.listSealedNotUnder(newKey, created.id, 10_000);
      expect(page.every((record) => record.id > created.id)).toBe(true);
    });

    it('refuses to re-wrap a blob that a token update replaced meanwhile', async () => {
      const sealed = fakeSealed(unique('old'));
      const created = await store().configurations.create(draft({ secrets: sealed }));
      const rotatedToken = fakeSealed('current');
      await store().configurations.update(created.id, 1, { secrets: rotatedToken });
      expect(
        await store().configurations.replaceSealed(created.id, sealed, { ...sealed, keyId: 'new' }),
      ).toBe(false);
      expect((await store().configurations.findById(created.id))?.secrets).toEqual(rotatedToken);
    });
  });
}
