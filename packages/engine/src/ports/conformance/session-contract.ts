import type { NewSession } from '../session-repository';
import { expectCode, unique, type StoreGetter } from './conformance-context';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function newSession(createdAt: Date, overrides: Partial<NewSession> = {}): NewSession {
  return {
    hash: unique('session-hash'),
    id: unique('s'),
    userId: unique('user'),
    workspaceId: unique('ws'),
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 7 * DAY),
    ...overrides,
  };
}

export function describeSessionContract(store: StoreGetter): void {
  describe('sessions', () => {
    it('finds a session by hash until it is deleted, once', async () => {
      const session = newSession(new Date('2031-01-01T00:00:00.000Z'));
      const created = await store().sessions.create(session);
      expect(created).toEqual({ ...session, lastSeenAt: session.createdAt });
      expect(await store().sessions.findByHash(session.hash)).toEqual(created);
      expect(await store().sessions.findByHash(`${session.hash}x`)).toBeNull();
      expect(await store().sessions.delete(session.hash)).toBe(true);
      expect(await store().sessions.delete(session.hash)).toBe(false);
      expect(await store().sessions.findByHash(session.hash)).toBeNull();
    });

    it('refuses a second session with the same hash', async () => {
      const session = newSession(new Date());
      await store().sessions.create(session);
      await expectCode(
        store().sessions.create({ ...session, id: unique('s') }),
        'FLOWCARD_ERR_STORE_DUPLICATE',
      );
    });

    it('moves lastSeenAt forward only', async () => {
      const start = new Date('2031-01-01T00:00:00.000Z');
      const session = newSession(start);
      await store().sessions.create(session);
      const later = new Date(start.getTime() + 5 * MINUTE);
      await store().sessions.touch(session.hash, later);
      await store().sessions.touch(session.hash, new Date(start.getTime() + MINUTE));
      expect((await store().sessions.findByHash(session.hash))?.lastSeenAt).toEqual(later);
    });

    it("deletes a user's sessions everywhere or in one workspace", async () => {
      const userId = unique('user');
      const [a, b] = [unique('ws'), unique('ws')];
      const now = new Date();
      const inA = newSession(now, { userId, workspaceId: a });
      const alsoInA = newSession(now, { userId, workspaceId: a });
      const inB = newSession(now, { userId, workspaceId: b });
      const someoneElse = newSession(now, { workspaceId: a });
      for (const session of [inA, alsoInA, inB, someoneElse]) await store().sessions.create(session);
      expect(await store().sessions.deleteByUser(userId, a)).toBe(2);
      expect(await store().sessions.findByHash(inB.hash)).not.toBeNull();
      expect(await store().sessions.deleteByUser(userId)).toBe(1);
      expect(await store().sessions.findByHash(someoneElse.hash)).not.toBeNull();
    });

    it('deletes sessions past their absolute expiry or idle too long, and keeps the others', async () => {
      const longAgo = new Date('2001-01-01T00:00:00.000Z');
      const now = new Date('2001-01-10T00:00:00.000Z');
      const overAbsolute = newSession(longAgo, { expiresAt: new Date(now.getTime() - MINUTE) });
      const idle = newSession(longAgo, {
        lastSeenAt: new Date(now.getTime() - 13 * 60 * MINUTE),
        expiresAt: new Date(now.getTime() + DAY),
      });
      const fresh = newSession(longAgo, {
        lastSeenAt: new Date(now.getTime() - MINUTE),
        expiresAt: new Date(now.getTime() + DAY),
      });
      for (const session of [overAbsolute, idle, fresh]) await store().sessions.create(session);
      const removed = await store().sessions.deleteExpired(now, new Date(now.getTime() - 12 * 60 * MINUTE));
      expect(removed).toBeGreaterThanOrEqual(2);
      expect(await store().sessions.findByHash(overAbsolute.hash)).toBeNull();
      expect(await store().sessions.findByHash(idle.hash)).toBeNull();
      expect(await store().sessions.findByHash(fresh.hash)).not.toBeNull();
    });
  });
}
