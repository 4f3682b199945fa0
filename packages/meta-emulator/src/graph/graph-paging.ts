import type { GraphCall } from './graph-call';
import { stringParam } from './graph-call';
import { graphErrors } from '../graph-errors';

export interface GraphPage {
  data: unknown[];
  paging?: {
    cursors: { before: string; after: string };
    previous?: string;
    next?: string;
  };
  [extra: string]: unknown;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

/**
 * Cursor paging over an already ordered list. A cursor carries the item id and its index, so
 * paging keeps working when items are added in front (the id is found again) or removed (the index
 * is used). `next`/`previous` are absolute URLs that repeat the caller's query, as Meta's do.
 */
export function paginate<T>(
  call: GraphCall,
  items: readonly T[],
  idOf: (item: T) => string,
  render: (item: T) => unknown,
): GraphPage {
  const limit = parseLimit(stringParam(call, 'limit'));
  const after = stringParam(call, 'after');
  const before = stringParam(call, 'before');
  let start = 0;
  let end: number;
  if (after) {
    start = locate(items, idOf, after) + 1;
    end = Math.min(items.length, start + limit);
  } else if (before) {
    end = locate(items, idOf, before);
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(items.length, limit);
  }
  const slice = items.slice(start, Math.max(start, end));
  const data = slice.map(render);
  if (slice.length === 0) return { data };
  const firstCursor = encodeCursor(idOf(slice[0]), start);
  const lastCursor = encodeCursor(idOf(slice[slice.length - 1]), start + slice.length - 1);
  const page: GraphPage = { data, paging: { cursors: { before: firstCursor, after: lastCursor } } };
  if (page.paging && start > 0) page.paging.previous = link(call, limit, 'before', firstCursor);
  if (page.paging && start + slice.length < items.length)
    page.paging.next = link(call, limit, 'after', lastCursor);
  return page;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw graphErrors.invalidParameter(`Param limit must be a non-negative integer, got ${raw}`);
  return Math.min(n === 0 ? DEFAULT_LIMIT : n, MAX_LIMIT);
}

function encodeCursor(id: string, index: number): string {
  return Buffer.from(`${id}:${index}`).toString('base64url');
}

function locate<T>(items: readonly T[], idOf: (item: T) => string, cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const sep = decoded.lastIndexOf(':');
  const index = Number(decoded.slice(sep + 1));
  if (sep < 0 || !Number.isInteger(index)) throw graphErrors.invalidParameter('Invalid cursor');
  const id = decoded.slice(0, sep);
  if (index < items.length && idOf(items[index]) === id) return index;
  const found = items.findIndex((item) => idOf(item) === id);
  return found >= 0 ? found : Math.min(index, items.length - 1);
}

function link(call: GraphCall, limit: number, key: 'after' | 'before', cursor: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(call.query)) {
    if (k !== 'after' && k !== 'before' && k !== 'limit') query.set(k, v);
  }
  query.set('limit', String(limit));
  query.set(key, cursor);
  return `${call.origin}${call.pathname}?${query.toString()}`;
}
