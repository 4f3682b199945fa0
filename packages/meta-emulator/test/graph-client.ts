import type { MetaEmulator } from '../src';

export interface GraphResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface GraphRequestOptions {
  token?: string;
  /** Where the token goes: query (default), body, or an Authorization: Bearer header. */
  tokenIn?: 'query' | 'body' | 'header';
  query?: Record<string, string | number | boolean>;
  /** Sent as JSON, or as form-urlencoded when `form` is true. */
  body?: Record<string, unknown>;
  form?: boolean;
}

/** A deliberately plain HTTP client for the tests: what a connector would send, nothing clever. */
export async function graph<T = Record<string, unknown>>(
  emulator: MetaEmulator,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: GraphRequestOptions = {},
): Promise<GraphResponse<T>> {
  const url = path.startsWith('http') ? new URL(path) : new URL(`${emulator.baseUrl}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  let body = options.body ? { ...options.body } : undefined;
  const where = options.tokenIn ?? 'query';
  if (options.token !== undefined) {
    if (where === 'query') url.searchParams.set('access_token', options.token);
    else if (where === 'header') headers.authorization = `Bearer ${options.token}`;
    else body = { ...body, access_token: options.token };
  }
  let payload: string | undefined;
  if (body) {
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(
        Object.entries(body).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      ).toString();
    } else {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  const response = await fetch(url, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** The `error` object of a Graph error envelope. */
export function graphError(response: GraphResponse): {
  code: number;
  error_subcode?: number;
  message: string;
  type: string;
  fbtrace_id: string;
  is_transient: boolean;
} {
  return (response.body as { error: ReturnType<typeof graphError> }).error;
}
