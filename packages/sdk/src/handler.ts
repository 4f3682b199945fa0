/** A JSON value as cards exchange it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Which token a request carries: the configuration's, none, or the page token of a page. */
export type RequestAuth = 'configuration' | 'none' | { pageToken: string };

export interface CardHttpRequest {
  method: HttpMethod;
  /** Path appended to the configuration's base URL (e.g. /me/messages). */
  path?: string;
  /** Absolute URL, e.g. a Graph paging.next link. Used instead of path. */
  url?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  bodyType?: 'json' | 'form';
  auth?: RequestAuth;
}

export interface CardHttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/**
 * HTTP client handed to handlers: base URL, credentials and appsecret_proof already applied,
 * keep-alive, rate limits honoured. A non-2xx answer throws a classified CardError.
 */
export interface CardHttpClient {
  request<T = unknown>(request: CardHttpRequest): Promise<CardHttpResponse<T>>;
}

export interface CardLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

/** What a handler receives. It never sees raw secrets unless its card sets needsSecrets. */
export interface HandlerContext {
  http: CardHttpClient;
  logger: CardLogger;
  clock: Clock;
  /** Non-secret configuration values. */
  config: Readonly<Record<string, unknown>>;
  /** Secret configuration values: present only when the card declares needsSecrets. */
  secrets?: Readonly<Record<string, string>>;
  /** Connector and card keys, for logs and messages. */
  connector: string;
  card: string;
}

/** The default export of a handlers/<card>.ts module. */
export type CardHandler<I = Record<string, unknown>, O = unknown> = (
  ctx: HandlerContext,
  input: I,
) => Promise<O>;

/** Identity helper that gives a handler its types. */
export function defineHandler<I = Record<string, unknown>, O = unknown>(
  handler: CardHandler<I, O>,
): CardHandler<I, O> {
  return handler;
}

/** The cursor a polling trigger keeps between polls; absent `since` means the first poll. */
export interface PollingCursor {
  /** Unix seconds of the newest item seen so far. */
  since?: number;
  [key: string]: unknown;
}

export interface PollingItemsResult<O = unknown> {
  items: O[];
  cursor: PollingCursor;
}

/** The default export of a polling handler module (`trigger.polling.handler`). */
export type PollingHandler<I = Record<string, unknown>, O = unknown> = (
  ctx: HandlerContext,
  request: { input: I; cursor: PollingCursor },
) => Promise<PollingItemsResult<O>>;

/** Identity helper that gives a polling handler its types. */
export function definePollingHandler<I = Record<string, unknown>, O = unknown>(
  handler: PollingHandler<I, O>,
): PollingHandler<I, O> {
  return handler;
}
