import type { Clock, UserRepository } from '@flowcard/engine';

/** A user's "last seen" is written at most once a minute per process: never a write per request. */
export const LAST_SEEN_EVERY_MS = 60_000;

/**
 * Records that a user made a request (session or API key). In-process throttle: the first request
 * of a user in each minute writes `lastSeenAt`, the others cost nothing. The write is not awaited by
 * the request and never fails it.
 */
export class LastSeenRecorder {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  seen(userId: string): void {
    const now = this.clock.now();
    const last = this.written.get(userId);
    if (last !== undefined && now.getTime() - last < LAST_SEEN_EVERY_MS) return;
    this.written.set(userId, now.getTime());
    this.users.touchLastSeen(userId, now).catch(() => this.written.delete(userId));
  }
}
