import http from 'node:http';
import https from 'node:https';
import axios, {
  type AxiosInstance,
  type AxiosRequestTransformer,
  type AxiosResponseTransformer,
} from 'axios';
import { createUndiciAdapter } from './undici-axios-adapter';

export interface AxiosInstanceOptions {
  /** Reuse connections (default true). Without it every call pays a TCP (and TLS) handshake. */
  keepAlive?: boolean;
  /** Concurrent sockets per host (default 256): Graph calls are I/O bound, a worker runs many at once. */
  maxSockets?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /**
   * The environment whose proxy variables apply (default `process.env`, read once here). When it
   * names no proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, any case), requests go direct with
   * `proxy: false`; when it does, axios resolves the proxy (and `NO_PROXY`) per request as before.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy'];

/**
 * True when `env` names a proxy axios would use. Why it matters: without `proxy: false` axios looks
 * up the proxy variables and parses NO_PROXY again on every request (≈2% of a step worker's CPU in
 * the flow benchmark) although the environment does not change while the process runs.
 */
export function proxyConfiguredInEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

// axios's own transforms, for the bodies the fast paths below leave to them.
const axiosRequestTransforms = toArray(axios.defaults.transformRequest);
const JSON_TYPE = /json|javascript/i;

/**
 * Request bodies: a plain object or array (what cards send) becomes JSON text directly; axios's
 * default transform first runs a dozen type probes (FormData, streams, blobs, URLSearchParams…) on
 * every body. Anything else (strings, buffers, forms) goes through axios's transform unchanged.
 */
const jsonRequestBody: AxiosRequestTransformer = function jsonRequestBody(data, headers) {
  const contentType = String(headers.getContentType() ?? '');
  if (isPlainObjectOrArray(data) && !/form-urlencoded|multipart/i.test(contentType)) {
    if (!contentType) headers.setContentType('application/json');
    return JSON.stringify(data);
  }
  let out: unknown = data;
  for (const transform of axiosRequestTransforms) out = transform.call(this, out, headers);
  return out;
};

/**
 * Response bodies are parsed once, and only when they are JSON: by content type (Graph also answers
 * `text/javascript` on some endpoints), or, without a JSON type, when the text starts like a JSON
 * object or array. Anything that does not parse stays text (as axios's silent JSON parsing did), so
 * the error classifier still sees an HTML error page as it was. axios's default transform re-reads
 * its `transitional`/`responseType` options and attempts a parse on every text body.
 */
const jsonResponseBody: AxiosResponseTransformer = function jsonResponseBody(data, headers) {
  if (typeof data !== 'string' || data === '') return data;
  // Both adapters hand over lower-cased names: a property read, not AxiosHeaders' case-insensitive search.
  const contentType: unknown = headers?.['content-type'] ?? headers?.getContentType();
  const declaredJson = typeof contentType === 'string' && JSON_TYPE.test(contentType);
  if (!declaredJson && !looksLikeJson(data)) return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
};

/**
 * The axios instance every card call goes through. Statuses never throw (validateStatus accepts
 * all): the classifier decides what a non-2xx answer means, in one place. Everything that does not
 * change per request is decided here once (adapter, proxy, transforms), so a request only merges
 * its own method, URL, headers and body into these defaults.
 */
export function createAxiosInstance(options: AxiosInstanceOptions = {}): AxiosInstance {
  const keepAlive = options.keepAlive ?? true;
  const maxSockets = options.maxSockets ?? 256;
  // lifo keeps the hottest sockets busy and lets idle ones time out under low load.
  const agentOptions = {
    keepAlive,
    maxSockets,
    maxFreeSockets: Math.min(maxSockets, 64),
    scheduling: 'lifo' as const,
  };
  const useEnvProxy = proxyConfiguredInEnv(options.env ?? process.env);
  const instance = axios.create({
    // undici below axios when requests go direct (see undici-axios-adapter.ts); with a proxy, the
    // Node adapter by name (it resolves HTTP(S)_PROXY / NO_PROXY; naming it skips probing for XHR
    // and fetch on every request) with keep-alive agents; undici keeps its own connection pool.
    ...(useEnvProxy
      ? {
          adapter: 'http' as const,
          httpAgent: new http.Agent(agentOptions),
          httpsAgent: new https.Agent(agentOptions),
        }
      : { adapter: createUndiciAdapter({ keepAlive, connections: maxSockets }) }),
    // false = go direct without consulting the environment per request; undefined = axios's
    // per-request proxy resolution (HTTP(S)_PROXY / NO_PROXY), kept when a proxy is configured.
    ...(useEnvProxy ? {} : { proxy: false as const }),
    timeout: options.timeoutMs ?? 30_000,
    validateStatus: () => true,
    // API answers do not redirect; 0 also skips the follow-redirects wrapper on every request.
    maxRedirects: 0,
    maxContentLength: 50 * 1024 * 1024,
    maxBodyLength: 50 * 1024 * 1024,
    transformRequest: [jsonRequestBody],
    transformResponse: [jsonResponseBody],
    transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: false },
  });
  // axios merges the instance defaults into every request key by key, and flattens a header bucket
  // per HTTP method (nine, all empty but `common`). One bucket with the one default header, and no
  // browser-only XSRF settings, leaves less to merge on every call (measured: ~15% of axios's own
  // time per request). Requests still add and override headers as usual.
  instance.defaults.headers = { common: { Accept: 'application/json, text/plain, */*' } } as never;
  delete instance.defaults.xsrfCookieName;
  delete instance.defaults.xsrfHeaderName;
  return instance;
}

function isPlainObjectOrArray(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // space, tab, CR, LF
    if (c === 32 || c === 9 || c === 13 || c === 10) continue;
    return c === 123 /* { */ || c === 91; /* [ */
  }
  return false;
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
