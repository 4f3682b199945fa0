import type { TokenKind } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import type { GraphCall } from '../graph/graph-call';

export interface UsageBudgetOptions {
  /** Calls per window that make X-App-Usage call_count reach 100. Default 10,000. */
  appCalls?: number;
  /** Calls per window per page that make X-Business-Use-Case-Usage call_count reach 100. Default 4,800. */
  pageCalls?: number;
  /** Window length on the emulator clock. Default one hour. */
  windowMs?: number;
  /** When true, calls beyond 100% fail with 4 (app) or 32/80001 (page), as Meta throttles. Default false. */
  enforce?: boolean;
}

interface Counter {
  windowStart: number;
  count: number;
}

const DEFAULTS: Required<UsageBudgetOptions> = {
  appCalls: 10_000,
  pageCalls: 4_800,
  windowMs: 60 * 60 * 1000,
  enforce: false,
};

/**
 * Per-app and per-page call counters behind `X-App-Usage` and `X-Business-Use-Case-Usage`:
 * call_count is the percentage of the budget used in the current window, so it rises with
 * traffic. total_time and total_cputime are reported as half of call_count (the emulator does no
 * real work worth measuring). O(1) per call.
 */
export class UsageMeter {
  private options = { ...DEFAULTS };
  private app: Counter = { windowStart: 0, count: 0 };
  private pages = new Map<string, Counter>();

  configure(options: UsageBudgetOptions): void {
    this.options = { ...this.options, ...options };
  }

  reset(): void {
    this.options = { ...DEFAULTS };
    this.app = { windowStart: 0, count: 0 };
    this.pages.clear();
  }

  /** Counts the call and returns the usage headers for its response; throws when enforcing and over budget. */
  record(call: GraphCall, tokenKind: TokenKind | undefined, now: number): Record<string, string> {
    const headers: Record<string, string> = {};
    const appPct = this.bump(this.app, now, this.options.appCalls);
    if (tokenKind !== 'page') headers['x-app-usage'] = JSON.stringify(usage(appPct));
    let pagePct = 0;
    if (call.pageId) {
      let counter = this.pages.get(call.pageId);
      if (!counter) {
        counter = { windowStart: now, count: 0 };
        this.pages.set(call.pageId, counter);
      }
      pagePct = this.bump(counter, now, this.options.pageCalls);
      const regain =
        pagePct > 100 ? Math.ceil((counter.windowStart + this.options.windowMs - now) / 60_000) : 0;
      headers['x-business-use-case-usage'] = JSON.stringify({
        [call.pageId]: [
          {
            type: call.leadgen ? 'leadgen' : 'pages',
            ...usage(pagePct),
            estimated_time_to_regain_access: regain,
          },
        ],
      });
    }
    if (this.options.enforce) {
      if (appPct > 100) throw graphErrors.rateLimited(4, 400, { 'x-app-usage': JSON.stringify(usage(100)) });
      if (pagePct > 100) throw graphErrors.rateLimited(tokenKind === 'page' ? 80001 : 32, 400, headers);
    }
    return headers;
  }

  private bump(counter: Counter, now: number, budget: number): number {
    if (now - counter.windowStart >= this.options.windowMs) {
      counter.windowStart = now;
      counter.count = 0;
    }
    counter.count++;
    return Math.floor((counter.count * 100) / budget);
  }
}

function usage(pct: number): { call_count: number; total_time: number; total_cputime: number } {
  const p = Math.min(100, pct);
  return { call_count: p, total_time: Math.floor(p / 2), total_cputime: Math.floor(p / 2) };
}
