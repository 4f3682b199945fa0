import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';

export interface UndiciAdapterOptions {
  /** Reuse connections (default true); false sends `Connection: close` and opens one per request. */
  keepAlive?: boolean;
  /** Connections per origin (default 256). */
  connections?: number;
}

type UndiciBody = string | Buffer | Uint8Array | Readable | null;

/**
 * An axios adapter that sends requests with undici instead of node:http. Everything above the
 * adapter stays axios: instance defaults, config merging, interceptors, request/response transforms,
 * `validateStatus`, `AxiosError` codes. Below it, undici's HTTP/1.1 client does per request a
 * fraction of what `http.ClientRequest` + axios's node adapter do (measured in the flow benchmark:
 * the node adapter and node:http were a quarter of a step worker's CPU). Used when no proxy is
 * configured (proxies stay with axios's node adapter, which resolves them per request).
 *
 * Behaviour kept from axios's node adapter: `timeout` fails with `ECONNABORTED` "timeout of N ms
 * exceeded" — it bounds the wait for the answer's head and every pause in its body (undici's
 * timers; a body that keeps trickling is bounded by `maxContentLength`), connecting has 10 s;
 * `signal` cancels with `ERR_CANCELED`; network errors keep their code (`ECONNREFUSED`,
 * `ECONNRESET`, …); `maxContentLength` is enforced; `gzip`, `deflate` and `br` answers are decoded. Not supported (no card or handler needs them, and the
 * adapter says so instead of doing something else): `responseType` other than text/json/arraybuffer/
 * stream, redirects (`maxRedirects` is 0 in Flowcard: API answers do not redirect), upload/download
 * progress, sockets/agents from the config.
 */
export function createUndiciAdapter(options: UndiciAdapterOptions = {}): AxiosAdapter {
  const keepAlive = options.keepAlive ?? true;
  const dispatcher = new Agent({ connections: options.connections ?? 256, pipelining: 1 });
  return async function undiciAdapter(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const url = config.baseURL || config.params ? axios.getUri(config) : (config.url ?? '');
    const method = (config.method ?? 'get').toUpperCase();
    const headers = requestHeaders(config);
    const body = requestBody(config);

    const timeoutMs = config.timeout ?? 0;
    const external = (config.signal ?? undefined) as AbortSignal | undefined;
    if (external?.aborted) throw new axios.CanceledError(undefined, undefined, config);
    try {
      // undici's own timers bound waiting for the answer's head and each pause in its body (no
      // AbortController and timer per request); connecting has its own limit (10 s).
      const answer = await undiciRequest(url, {
        method,
        headers,
        body,
        dispatcher,
        signal: external,
        reset: !keepAlive,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const data = await responseData(config, answer.headers, answer.body);
      const response: AxiosResponse = {
        data,
        status: answer.statusCode,
        statusText: '',
        // An AxiosHeaders already: axios wraps plain objects twice (for the transforms, then the response).
        headers: new AxiosHeaders(answer.headers as Record<string, string | string[]>),
        config,
        request: { method, url },
      };
      const validateStatus = config.validateStatus;
      if (!validateStatus || validateStatus(response.status)) return response;
      throw new AxiosError(
        `Request failed with status code ${response.status}`,
        response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
        config,
        response.request,
        response,
      );
    } catch (error) {
      if (error instanceof AxiosError) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw new AxiosError(
          config.timeoutErrorMessage ?? `timeout of ${timeoutMs}ms exceeded`,
          config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED,
          config,
        );
      }
      if (external?.aborted) throw new axios.CanceledError(undefined, undefined, config);
      throw AxiosError.from(error, typeof code === 'string' ? code : undefined, config);
    }
  };
}

function requestHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const source = config.headers.toJSON(true) as Record<string, unknown>;
  for (const name in source) {
    const value = source[name];
    if (value === undefined || value === null || value === false) continue;
    out[name] = String(value);
  }
  return out;
}

function requestBody(config: InternalAxiosRequestConfig): UndiciBody {
  const data: unknown = config.data;
  if (data === undefined || data === null) return null;
  if (typeof data === 'string' || Buffer.isBuffer(data) || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (data instanceof Readable) return data;
  throw new AxiosError(
    `the undici adapter sends strings, buffers and streams; got ${Object.prototype.toString.call(data)} (transform the body first)`,
    AxiosError.ERR_BAD_REQUEST,
    config,
  );
}

type ResponseHeaders = Dispatcher.ResponseData['headers'];
type ResponseBody = Dispatcher.ResponseData['body'];

async function responseData(
  config: InternalAxiosRequestConfig,
  headers: ResponseHeaders,
  body: ResponseBody,
): Promise<unknown> {
  if (config.responseType === 'stream') return body;
  const responseType = config.responseType ?? 'json';
  if (responseType !== 'json' && responseType !== 'text' && responseType !== 'arraybuffer') {
    await body.dump();
    throw new AxiosError(
      `the undici adapter answers text, json, arraybuffer or stream, not responseType "${responseType}"`,
      AxiosError.ERR_NOT_SUPPORT,
      config,
    );
  }
  const max = config.maxContentLength ?? -1;
  const encoding = headerText(headers['content-encoding']);
  const length = Number(headerText(headers['content-length']) ?? Number.NaN);
  // The common case: a plain body of known, allowed length, read by undici in one go.
  if (!encoding && responseType !== 'arraybuffer' && (max < 0 || (length >= 0 && length <= max)))
    return body.text();
  let bytes = await readBytes(body, max, config);
  if (encoding) bytes = decode(bytes, encoding.toLowerCase(), config);
  if (max >= 0 && bytes.length > max) throw tooLarge(max, config);
  return responseType === 'arraybuffer' ? bytes : bytes.toString('utf8');
}

async function readBytes(
  body: ResponseBody,
  max: number,
  config: InternalAxiosRequestConfig,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (max >= 0 && size > max) {
      body.destroy();
      throw tooLarge(max, config);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function decode(bytes: Buffer, encoding: string, config: InternalAxiosRequestConfig): Buffer {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(bytes);
    if (encoding === 'deflate') return inflateSync(bytes);
    if (encoding === 'br') return brotliDecompressSync(bytes);
    if (encoding === 'identity') return bytes;
  } catch (error) {
    throw AxiosError.from(error, AxiosError.ERR_BAD_RESPONSE, config);
  }
  throw new AxiosError(`unsupported content-encoding "${encoding}"`, AxiosError.ERR_BAD_RESPONSE, config);
}

function tooLarge(max: number, config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError(`maxContentLength size of ${max} exceeded`, AxiosError.ERR_BAD_RESPONSE, config);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
