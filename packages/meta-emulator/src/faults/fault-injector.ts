import type { TokenKind } from '../emulator-entities';
import { graphErrors, RATE_LIMIT_CODES, type RateLimitCode } from '../graph-errors';
import { SeededRandom } from '../seeded-random';
import type { GraphCall } from '../graph/graph-call';

export interface RateLimitOptions {
  /** 4 app, 17 user, 32 page (user/app token), 613 custom, 80001 page (page token), 80005 leadgen. */
  code: RateLimitCode;
  /** Limit only calls touching this page (its posts, forms, leads too). */
  pageId?: string;
  /** Limit only calls made with this user's tokens (user and page tokens). */
  userId?: string;
  /** Limit only calls whose path (after the version) contains this string. */
  path?: string;
  /** How long until access is regained, on the emulator clock. Default 10 minutes. */
  minutes?: number;
  /** Default 400: Graph reports its limits with HTTP 400, never 429 (README, "HTTP statuses"). */
  httpStatus?: number;
}

export interface TransientFaultOptions {
  /** Fail the next N matching calls. */
  count?: number;
  /** Or fail this percentage of matching calls until cleared. */
  percent?: number;
  /** 1 ("unknown error") or 2 ("unexpected error, retry later"); both HTTP 500, is_transient. Default 2. */
  code?: 1 | 2;
  /** Only calls whose path (after the version) contains this string. */
  path?: string;
  /** PRNG seed for `percent`, for reproducible sequences. */
  seed?: number;
}

interface ActiveRateLimit {
  code: RateLimitCode;
  pageId?: string;
  userId?: string;
  path?: string;
  until: number;
  httpStatus: number;
}

interface ActiveTransient {
  remaining: number;
  percent: number;
  code: 1 | 2;
  path?: string;
  random: SeededRandom;
}

/** Faults a test switches on: rate limits, transient 500s and latency. Cleared by reset. */
export class FaultInjector {
  private rateLimits: ActiveRateLimit[] = [];
  private transients: ActiveTransient[] = [];
  latencyMs = 0;

  rateLimit(options: RateLimitOptions, now: number): void {
    if (!RATE_LIMIT_CODES.includes(options.code)) {
      throw new RangeError(
        `rateLimit code must be one of ${RATE_LIMIT_CODES.join(', ')}, got ${String(options.code)}`,
      );
    }
    this.rateLimits.push({
      code: options.code,
      pageId: options.pageId,
      userId: options.userId,
      path: options.path,
      until: now + (options.minutes ?? 10) * 60_000,
      httpStatus: options.httpStatus ?? 400,
    });
  }

  transient(options: TransientFaultOptions): void {
    if (options.count === undefined && options.percent === undefined)
      throw new RangeError('transient faults need a count or a percent');
    this.transients.push({
      remaining: options.count ?? Number.POSITIVE_INFINITY,
      percent: options.count !== undefined ? 100 : (options.percent ?? 0),
      code: options.code ?? 2,
      path: options.path,
      random: new SeededRandom(options.seed),
    });
  }

  clear(): void {
    this.rateLimits = [];
    this.transients = [];
    this.latencyMs = 0;
  }

  /** Throws the transient error this call should get, if any. */
  checkTransient(call: GraphCall): void {
    if (this.transients.length === 0) return;
    const path = call.segments.join('/');
    for (const t of this.transients) {
      if (t.remaining <= 0 || (t.path !== undefined && !path.includes(t.path))) continue;
      if (!t.random.chance(t.percent)) continue;
      t.remaining--;
      this.transients = this.transients.filter((x) => x.remaining > 0);
      throw graphErrors.transient(t.code);
    }
  }

  /** Throws the rate-limit error this call should get, if any, with usage headers at 100%. */
  checkRateLimit(call: GraphCall, tokenKind: TokenKind | undefined, now: number): void {
    if (this.rateLimits.length === 0) return;
    this.rateLimits = this.rateLimits.filter((r) => r.until > now);
    const path = call.segments.join('/');
    for (const r of this.rateLimits) {
      if (r.pageId !== undefined && call.pageId !== r.pageId) continue;
      if (r.userId !== undefined && call.token?.userId !== r.userId) continue;
      if (r.path !== undefined && !path.includes(r.path)) continue;
      if (r.code === 80005 && !call.leadgen) continue;
      const minutes = Math.max(1, Math.ceil((r.until - now) / 60_000));
      throw graphErrors.rateLimited(r.code, r.httpStatus, limitHeaders(r, call, tokenKind, minutes));
    }
  }
}

function limitHeaders(
  r: ActiveRateLimit,
  call: GraphCall,
  tokenKind: TokenKind | undefined,
  minutes: number,
): Record<string, string> {
  const full = { call_count: 100, total_time: 100, total_cputime: 100 };
  const pageId = r.pageId ?? call.pageId;
  if (pageId && (r.code === 32 || r.code === 80001 || r.code === 80005 || tokenKind === 'page')) {
    const type = r.code === 80005 ? 'leadgen' : 'pages';
    return {
      'x-business-use-case-usage': JSON.stringify({
        [pageId]: [{ type, ...full, estimated_time_to_regain_access: minutes }],
      }),
    };
  }
  return { 'x-app-usage': JSON.stringify(full) };
}
