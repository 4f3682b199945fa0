/**
 * Page tokens by (configuration, user token, page): fetched once, then reused. Bounded (oldest
 * entry goes first) and time-limited so that a revoked page role is noticed eventually even without
 * an error; entries hold the pending promise so concurrent calls share one fetch.
 */
export class PageTokenCache {
  private readonly entries = new Map<string, { token: Promise<string>; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<string>): Promise<string> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) {
      // Re-insert to keep the Map ordered by recent use.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.token;
    }
    const token = load();
    this.entries.set(key, { token, expiresAt: this.now() + this.ttlMs });
    token.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return token;
  }

  /** Forgets a token Meta refused, so the next attempt fetches a fresh one. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
