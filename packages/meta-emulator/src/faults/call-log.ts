import type { TokenKind } from '../emulator-entities';

export interface CallLogEntry {
  /** Emulator-clock epoch ms. */
  time: number;
  method: string;
  /** Path without the version and query, e.g. `200000000000201/feed`. */
  path: string;
  version: string;
  tokenKind?: TokenKind;
  userId?: string;
  pageId?: string;
  status: number;
  errorCode?: number;
}

export interface CallLogFilter {
  method?: string;
  /** Substring of the path (after the version). */
  path?: string;
  pageId?: string;
  tokenKind?: TokenKind;
  /** Only calls at or after this emulator time (ms). */
  since?: number;
}

const CAPACITY = 20_000;

/** Every Graph call, newest last, bounded so long benchmark runs do not grow memory without end. */
export class CallLog {
  private entries: CallLogEntry[] = [];

  add(entry: CallLogEntry): void {
    this.entries.push(entry);
    // Trim in batches: splicing on every call would make each insert O(n).
    if (this.entries.length > CAPACITY * 2) this.entries = this.entries.slice(-CAPACITY);
  }

  list(filter: CallLogFilter = {}): CallLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || e.path.includes(filter.path)) &&
        (filter.pageId === undefined || e.pageId === filter.pageId) &&
        (filter.tokenKind === undefined || e.tokenKind === filter.tokenKind) &&
        (filter.since === undefined || e.time >= filter.since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
