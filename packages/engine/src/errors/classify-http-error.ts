import { CardError } from '@flowcard/sdk';
import { formatErrorMessage, type ErrorCodeSpec } from './error-code';
import { executionCodes as codes } from './codes/execution-codes';
import { redactSecrets } from '../http/redact-secrets';
import { parseUsageHeaders, regainAccessMinutes } from '../http/usage-headers';

/** A failed HTTP exchange: either an answer with a non-2xx status, or no answer at all. */
export type HttpFailure =
  | {
      kind: 'response';
      status: number;
      /** Lower-cased header names. */
      headers: Readonly<Record<string, string | undefined>>;
      body: unknown;
      url?: string;
    }
  | { kind: 'network'; error: unknown; url?: string; timeoutMs?: number };

export interface ClassifyOptions {
  /** Literal secret values to scrub from messages (tokens of the call). */
  secrets?: readonly string[];
}

const MINUTE = 60_000;

/**
 * Rate-limit Graph codes and the wait used when neither X-Business-Use-Case-Usage nor Retry-After
 * says how long: app/user/page budgets are rolling one-hour windows, so a few minutes lets them
 * drain; leadgen (80005) counts over 24 hours, so wait longer.
 */
const RATE_LIMITS: ReadonlyMap<number, { limit: string; defaultWaitMs: number }> = new Map([
  [4, { limit: 'app request limit', defaultWaitMs: 5 * MINUTE }],
  [17, { limit: 'user request limit', defaultWaitMs: 5 * MINUTE }],
  [32, { limit: 'page request limit', defaultWaitMs: 5 * MINUTE }],
  [613, { limit: 'custom rate limit', defaultWaitMs: 1 * MINUTE }],
  [80000, { limit: 'ads insights limit', defaultWaitMs: 5 * MINUTE }],
  [80001, { limit: 'page limit', defaultWaitMs: 5 * MINUTE }],
  [80002, { limit: 'instagram limit', defaultWaitMs: 5 * MINUTE }],
  [80003, { limit: 'custom audience limit', defaultWaitMs: 5 * MINUTE }],
  [80004, { limit: 'ads management limit', defaultWaitMs: 5 * MINUTE }],
  [80005, { limit: 'leadgen limit', defaultWaitMs: 60 * MINUTE }],
  [80006, { limit: 'messenger limit', defaultWaitMs: 5 * MINUTE }],
  [80008, { limit: 'whatsapp limit', defaultWaitMs: 5 * MINUTE }],
  [80009, { limit: 'catalog limit', defaultWaitMs: 5 * MINUTE }],
  [80014, { limit: 'catalog batch limit', defaultWaitMs: 5 * MINUTE }],
]);
const HTTP_429_WAIT_MS = 1 * MINUTE;
/**
 * 368 "temporarily blocked for policies violations": a block Meta lifts by itself, so the step is
 * delayed (rate_limited) rather than failed, with a long wait so that retrying does not extend it;
 * the runner's bounded attempts still fail it in the end if the block stays.
 */
const BLOCKED_WAIT_MS = 60 * MINUTE;

/** Graph codes meaning "the token is dead" (190 and its older/legacy siblings). */
const AUTH_CODES = new Set([190, 102, 458, 459, 460, 463, 464, 467]);
const AUTH_REASONS: ReadonlyMap<number, string> = new Map([
  [458, 'app not installed'],
  [459, 'user checkpointed'],
  [460, 'password changed'],
  [463, 'token expired'],
  [464, 'user not confirmed'],
  [467, 'token invalidated (logged out)'],
  [492, 'invalid session'],
]);

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
  is_transient?: boolean;
}

/**
 * The one place where an HTTP failure becomes a flow signal (docs/architecture.md §6):
 * - retry: network errors, timeouts, 5xx, Graph 1/2 or is_transient, HTTP 408
 * - rate_limited: HTTP 429, Graph 4/17/32/613/800xx, and 368 (temporarily blocked, long wait)
 * - auth: Graph 190 (any subcode) and 102/458–467; HTTP 401
 * - permission: Graph 10 and 200–299; HTTP 403
 * - invalid: Graph 100, 506 and every other 4xx
 * Meta's own message is kept (it is what the user can act on); tokens are scrubbed from it.
 */
export function classifyHttpError(failure: HttpFailure, options: ClassifyOptions = {}): CardError {
  const secrets = options.secrets ?? [];
  if (failure.kind === 'network') return classifyNetwork(failure, secrets);
  const graph = graphErrorOf(failure.body);
  if (graph) return classifyGraph(failure, graph, secrets);
  return classifyStatus(failure, secrets);
}

function classifyNetwork(
  failure: Extract<HttpFailure, { kind: 'network' }>,
  secrets: readonly string[],
): CardError {
  const error = failure.error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : String(failure.error);
  const host = hostOf(failure.url);
  const details = {
    network: code ?? 'unknown',
    ...(failure.url ? { url: redactSecrets(failure.url, secrets) } : {}),
  };
  const timedOut = code === 'ETIMEDOUT' || (code === 'ECONNABORTED' && /timeout/i.test(message));
  if (timedOut) {
    return cardErrorFor(
      codes.FLOWCARD_ERR_HTTP_TIMEOUT,
      { host, timeoutMs: failure.timeoutMs ?? 'the configured' },
      { details },
      secrets,
    );
  }
  return cardErrorFor(
    codes.FLOWCARD_ERR_HTTP_NETWORK,
    { host, reason: code ?? message },
    { details },
    secrets,
  );
}

function classifyGraph(
  failure: Extract<HttpFailure, { kind: 'response' }>,
  graph: GraphError,
  secrets: readonly string[],
): CardError {
  const code = typeof graph.code === 'number' ? graph.code : Number(graph.code);
  const subcode = graph.error_subcode === undefined ? undefined : Number(graph.error_subcode);
  const message =
    graph.error_user_msg && graph.message
      ? `${graph.message} (${graph.error_user_msg})`
      : (graph.message ?? `Graph error ${code}`);
  const details: Record<string, unknown> = {
    graphCode: code,
    ...(subcode === undefined ? {} : { graphSubcode: subcode }),
    ...(graph.type ? { graphType: graph.type } : {}),
    ...(graph.fbtrace_id ? { fbtraceId: graph.fbtrace_id } : {}),
    ...(graph.is_transient === undefined ? {} : { isTransient: graph.is_transient }),
    ...(graph.error_user_title ? { userTitle: graph.error_user_title } : {}),
  };
  const status = failure.status;

  if (AUTH_CODES.has(code)) {
    const reason = AUTH_REASONS.get(subcode ?? code) ?? 'invalid token';
    return cardErrorFor(
      codes.FLOWCARD_ERR_AUTH_INVALID_TOKEN,
      { reason, message },
      { status, details: { ...details, reason } },
      secrets,
    );
  }
  const rateLimit = RATE_LIMITS.get(code);
  if (rateLimit) {
    const retryAfterMs = retryAfterFromHeaders(failure.headers) ?? rateLimit.defaultWaitMs;
    return cardErrorFor(
      codes.FLOWCARD_ERR_RATE_LIMITED,
      { limit: rateLimit.limit, message },
      { status, retryAfterMs, details },
      secrets,
    );
  }
  if (code === 368) {
    const retryAfterMs = retryAfterFromHeaders(failure.headers) ?? BLOCKED_WAIT_MS;
    return cardErrorFor(
      codes.FLOWCARD_ERR_TEMPORARILY_BLOCKED,
      { message },
      { status, retryAfterMs, details },
      secrets,
    );
  }
  // Codes 1 and 2 are Meta's "temporary" errors, unless Meta says otherwise: a wrong client secret
  // comes back as code 1 with is_transient false and HTTP 400, and retrying it cannot help.
  if (graph.is_transient === true || ((code === 1 || code === 2) && graph.is_transient !== false)) {
    return cardErrorFor(
      codes.FLOWCARD_ERR_GRAPH_TRANSIENT,
      { graphCode: code, message },
      { status, details },
      secrets,
    );
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    const permission = permissionIn(message);
    return cardErrorFor(
      codes.FLOWCARD_ERR_PERMISSION_MISSING,
      { permission: permission ?? 'not named by the service', message },
      { status, details, ...(permission ? { permission } : {}) },
      secrets,
    );
  }
  // An unknown Graph code is judged by the HTTP status (a 5xx is still worth retrying).
  return classifyStatus(failure, secrets, message, details);
}

function classifyStatus(
  failure: Extract<HttpFailure, { kind: 'response' }>,
  secrets: readonly string[],
  knownMessage?: string,
  graphDetails?: Record<string, unknown>,
): CardError {
  const scim = scimErrorOf(failure.body);
  const status = scim?.status ?? failure.status;
  const message = knownMessage ?? scim?.message ?? genericMessage(failure.body, failure.status);
  const details: Record<string, unknown> = {
    ...graphDetails,
    ...(scim?.scimType ? { scimType: scim.scimType } : {}),
  };
  const options = { status: failure.status, ...(Object.keys(details).length > 0 ? { details } : {}) };

  if (status === 429) {
    const retryAfterMs = retryAfterFromHeaders(failure.headers) ?? HTTP_429_WAIT_MS;
    return cardErrorFor(
      codes.FLOWCARD_ERR_RATE_LIMITED,
      { limit: 'HTTP 429', message },
      { ...options, retryAfterMs },
      secrets,
    );
  }
  if (status >= 500 || status === 408) {
    return cardErrorFor(codes.FLOWCARD_ERR_UPSTREAM_UNAVAILABLE, { status, message }, options, secrets);
  }
  if (status === 401) {
    return cardErrorFor(
      codes.FLOWCARD_ERR_AUTH_INVALID_TOKEN,
      { reason: 'unauthorized', message },
      options,
      secrets,
    );
  }
  if (status === 403) {
    return cardErrorFor(
      codes.FLOWCARD_ERR_PERMISSION_MISSING,
      { permission: 'not named by the service', message },
      options,
      secrets,
    );
  }
  return cardErrorFor(codes.FLOWCARD_ERR_INVALID_REQUEST, { status, message }, options, secrets);
}

/** Builds the CardError of a registered code, scrubbing secrets from message and details. */
export function cardErrorFor(
  spec: ErrorCodeSpec,
  params: Record<string, unknown>,
  options: {
    status?: number;
    retryAfterMs?: number;
    permission?: string;
    details?: Record<string, unknown>;
    cause?: unknown;
  } = {},
  secrets: readonly string[] = [],
): CardError {
  const message = redactSecrets(formatErrorMessage(spec.message, params), secrets);
  const details = options.details
    ? (JSON.parse(redactSecrets(JSON.stringify(options.details), secrets)) as Record<string, unknown>)
    : undefined;
  return new CardError(spec.category as CardError['signal'], message, {
    ...options,
    code: spec.code,
    details,
  });
}

function graphErrorOf(body: unknown): GraphError | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as GraphError).code;
  return code === undefined || !Number.isFinite(Number(code)) ? undefined : (error as GraphError);
}

/** RFC 7644 §3.12: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType","detail"}. */
function scimErrorOf(body: unknown): { status?: number; scimType?: string; message: string } | undefined {
  const value = body as { schemas?: unknown; status?: unknown; scimType?: unknown; detail?: unknown } | null;
  if (
    !value ||
    !Array.isArray(value.schemas) ||
    !value.schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error')
  )
    return undefined;
  const status = Number(value.status);
  const scimType = typeof value.scimType === 'string' ? value.scimType : undefined;
  const detail = typeof value.detail === 'string' ? value.detail : 'SCIM error';
  return {
    ...(Number.isFinite(status) && status > 0 ? { status } : {}),
    ...(scimType ? { scimType } : {}),
    message: scimType ? `${detail} (scimType ${scimType})` : detail,
  };
}

function genericMessage(body: unknown, status: number): string {
  if (typeof body === 'string' && body.trim() !== '') return body.trim().slice(0, 300);
  const value = body as Record<string, unknown> | null;
  for (const key of ['message', 'error_description', 'error', 'detail']) {
    const candidate = value?.[key];
    if (typeof candidate === 'string' && candidate !== '') return candidate.slice(0, 300);
  }
  return `HTTP ${status}`;
}

/** Graph names the permission in several phrasings: "(#200) Requires pages_manage_posts permission…", "…the 'leads_retrieval' permission…". */
function permissionIn(message: string): string | undefined {
  const match =
    /requires?\s+(?:the\s+)?'?([a-z][a-z_]+[a-z])'?\s+permission/i.exec(message) ??
    /'([a-z][a-z_]+[a-z])'\s+permission/i.exec(message) ??
    /permission\(s\)?\s*:?\s*'?([a-z][a-z_]+_[a-z_]+)'?/i.exec(message);
  return match?.[1];
}

/** Usage headers first (Meta's own estimate), then Retry-After (seconds or an HTTP date). */
function retryAfterFromHeaders(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const minutes = regainAccessMinutes(parseUsageHeaders(headers));
  if (minutes > 0) return minutes * MINUTE;
  const retryAfter = headers['retry-after'];
  if (retryAfter === undefined || retryAfter === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the service';
  try {
    return new URL(url).host;
  } catch {
    return 'the service';
  }
}
