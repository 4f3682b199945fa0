import type { NewOAuthState } from '../oauth-state-repository';
import { unique, type StoreGetter } from './conformance-context';

const MINUTE = 60_000;

function pending(createdAt: Date): NewOAuthState {
  return {
    hash: unique('state-hash'),
    userId: unique('user'),
    sessionId: unique('session'),
    workspaceId: unique('ws'),
    provider: 'meta',
    data: { returnTo: '/configurations' },
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 10 * MINUTE),
  };
}

export function describeOAuthStateContract(store: StoreGetter): void {
  describe('OAuth states', () => {
    it('hands a state out once, then treats it as unknown', async () => {
      const now = new Date();
      const state = pending(now);
      await store().oauthStates.create(state);
      expect(await store().oauthStates.consume(state.hash, new Date(now.getTime() + MINUTE))).toEqual({
        outcome: 'consumed',
        state,
      });
      expect(await store().oauthStates.consume(state.hash, new Date(now.getTime() + MINUTE))).toEqual({
        outcome: 'unknown',
      });
    });

    it('reports an expired state as expired, and it cannot be retried', async () => {
      const now = new Date();
      const state = pending(now);
      await store().oauthStates.create(state);
      const late = new Date(now.getTime() + 11 * MINUTE);
      expect(await store().oauthStates.consume(state.hash, late)).toEqual({ outcome: 'expired', state });
      expect(await store().oauthStates.consume(state.hash, late)).toEqual({ outcome: 'unknown' });
    });

    it('treats an unknown or altered hash as unknown', async () => {
      const state = pending(new Date());
      await store().oauthStates.create(state);
      expect(await store().oauthStates.consume(`${state.hash}x`, new Date())).toEqual({ outcome: 'unknown' });
    });

    it('gives a state to exactly one of several concurrent callbacks', async () => {
      const state = pending(new Date());
      await store().oauthStates.create(state);
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(() => store().oauthStates.consume(state.hash, new Date())),
      );
      expect(outcomes.filter((o) => o.outcome === 'consumed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'unknown')).toHaveLength(3);
    });

    it('deletes states that expired before a given time and keeps the others', async () => {
      const longAgo = new Date('2001-01-01T00:00:00.000Z');
      const old = pending(longAgo);
      const fresh = pending(new Date());
      await store().oauthStates.create(old);
      await store().oauthStates.create(fresh);
      expect(
        await store().oauthStates.deleteExpired(new Date(longAgo.getTime() + 60 * MINUTE)),
      ).toBeGreaterThanOrEqual(1);
      expect((await store().oauthStates.consume(old.hash, new Date())).outcome).toBe('unknown');
      expect((await store().oauthStates.consume(fresh.hash, new Date())).outcome).toBe('consumed');
    });
  });
}
