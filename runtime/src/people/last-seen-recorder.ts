import type { Clock, UserRepository } from '@flowcard/engine';

/** A user's "last seen" is written at most once a minute per process: never a write per request. */
export const LAST_SEEN_EVERY_MS = 60_000;

/**
 * Records that a user made a request (session or API key). In-process throttle: the first request
 * of a user in each minute writes `lastSeenAt`, the others cost nothing. The returned promise never
 * rejects: recording activity must never fail a request (sessions await it, API keys do not).
 */
export class LastSeenRecorder {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async seen(userId: string): Promise<void> {
    const now = this.clock.now();
    const last = this.written.get(userId);
    if (last !== undefined && now.getTime() - last < LAST_SEEN_EVERY_MS) return;
    this.written.set(userId, now.getTime());
    await this.users.touchLastSeen(userId, now).catch(() => this.written.delete(userId));
  }
}
