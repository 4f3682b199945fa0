import type { TokenRecord } from '../emulator-entities';

export type GraphMethod = 'GET' | 'POST' | 'DELETE';

/** One Graph request, normalised: version stripped, query and body merged, token resolved. */
export interface GraphCall {
  method: GraphMethod;
  /** `v25.0`, or '' for an unversioned path. */
  version: string;
  /** Path segments after the version, URL-decoded. */
  segments: string[];
  /** Path as requested (with version), for paging links. */
  pathname: string;
  /** `http://host:port` as the client addressed us, so paging links work behind any host name. */
  origin: string;
  /** Query string parameters only (strings), kept apart for building paging links. */
  query: Record<string, string>;
  /** Query merged with the body; body values may be objects when it was JSON. */
  params: Record<string, unknown>;
  token?: TokenRecord;
  /** Page the call touches (for page rate limits and business use case usage), when known. */
  pageId?: string;
  /** True on Lead Ads endpoints, which have their own rate limit (80005) and usage type. */
  leadgen?: boolean;
}

/** A string parameter; JSON numbers and booleans are stringified the way a form body would carry them. */
export function stringParam(call: GraphCall, name: string): string | undefined {
  const value = call.params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A parameter that may arrive as a JSON object (JSON body) or as a JSON string (query/form). */
export function jsonParam(call: GraphCall, name: string): unknown {
  const value = call.params[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Graph booleans: `true`/`false`, `1`/`0`. */
export function booleanParam(call: GraphCall, name: string): boolean | undefined {
  const value = stringParam(call, name);
  if (value === undefined) return undefined;
  return value === 'true' || value === '1';
}

/** A comma-separated list or a JSON array, as Graph accepts both for list parameters. */
export function listParam(call: GraphCall, name: string): string[] | undefined {
  const value = jsonParam(call, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
