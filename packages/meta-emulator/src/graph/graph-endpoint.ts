import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../emulator-core';
import type { CallLogEntry } from '../faults/call-log';
import { GraphError } from '../graph-error';
import { graphErrors } from '../graph-errors';
import type { GraphCall, GraphMethod } from './graph-call';
import { isTokenless, resolveGraphCall } from './graph-router';

const VERSION = /^v\d+\.\d+$/;
const DEFAULT_VERSION = 'v25.0';
const JSON_TYPE = 'application/json; charset=UTF-8';

function flattenQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  for (const [k, v] of Object.entries(query as Record<string, unknown>))
    out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

function decodeSegments(pathname: string): string[] {
  const parts = pathname.split('/').filter((s) => s.length > 0);
  try {
    return parts.map(decodeURIComponent);
  } catch {
    throw graphErrors.invalidParameter('Malformed path');
  }
}

/** Graph's `method` override: a POST with `method=delete` (or `get`) is that method. */
function effectiveMethod(httpMethod: string, params: Record<string, unknown>): GraphMethod {
  const upper = httpMethod === 'HEAD' ? 'GET' : httpMethod.toUpperCase();
  const override = typeof params.method === 'string' ? params.method.toUpperCase() : undefined;
  if (upper === 'POST' && (override === 'GET' || override === 'DELETE')) return override;
  if (upper === 'GET' || upper === 'POST' || upper === 'DELETE') return upper;
  throw graphErrors.invalidParameter(`Unsupported HTTP method ${httpMethod}`);
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  return scheme.toLowerCase() === 'bearer' || scheme.toLowerCase() === 'oauth' ? value?.trim() : undefined;
}

/**
 * Every Graph request (Facebook and Workplace) goes through here: parse, then latency, transient
 * faults, token check, appsecret_proof, routing, rate limits, usage headers, the handler, and the
 * call log. All failures leave as Meta's error envelope.
 */
export function graphEndpoint(
  core: EmulatorCore,
): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (req, reply) => {
    const url = req.url;
    const q = url.indexOf('?');
    const pathname = q >= 0 ? url.slice(0, q) : url;
    const entry: CallLogEntry = {
      time: core.clock.now(),
      method: req.method,
      path: '',
      version: '',
      status: 200,
    };
    let usageHeaders: Record<string, string> = {};
    try {
      const segments = decodeSegments(pathname);
      const version = segments.length > 0 && VERSION.test(segments[0]) ? (segments.shift() as string) : '';
      const query = flattenQuery(req.query);
      const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      const params: Record<string, unknown> = { ...query, ...body };
      const call: GraphCall = {
        method: effectiveMethod(req.method, params),
        version,
        segments,
        pathname,
        origin: `http://${req.headers.host ?? 'localhost'}`,
        query,
        params,
      };
      entry.method = call.method;
      entry.path = segments.join('/');
      entry.version = version;

      if (core.faults.latencyMs > 0)
        await new Promise((resolve) => setTimeout(resolve, core.faults.latencyMs));
      core.faults.checkTransient(call);
      const tokenString = typeof params.access_token === 'string' ? params.access_token : bearer(req);
      if (tokenString && !isTokenless(segments)) {
        call.token = core.tokens.authenticate(tokenString);
        entry.tokenKind = call.token.kind;
        entry.userId = call.token.userId;
        core.tokens.checkAppsecretProof(
          call.token,
          typeof params.appsecret_proof === 'string' ? params.appsecret_proof : undefined,
        );
      }
      const run = resolveGraphCall(call, core);
      entry.pageId = call.pageId;
      const now = core.clock.now();
      core.faults.checkRateLimit(call, call.token?.kind, now);
      if (call.token) usageHeaders = core.usage.record(call, call.token.kind, now);
      const result = await run();
      reply.headers(usageHeaders);
      return reply
        .code(200)
        .header('content-type', JSON_TYPE)
        .header('facebook-api-version', version || DEFAULT_VERSION)
        .send(JSON.stringify(result));
    } catch (error) {
      const graphError = error instanceof GraphError ? error : internalError(error);
      entry.status = graphError.httpStatus;
      entry.errorCode = graphError.code;
      reply.headers({ ...usageHeaders, ...graphError.responseHeaders() });
      return reply
        .code(graphError.httpStatus)
        .header('content-type', JSON_TYPE)
        .send(JSON.stringify(graphError.toEnvelope()));
    } finally {
      core.calls.add(entry);
    }
  };
}

function internalError(error: unknown): GraphError {
  // A bug in the emulator must still look like Meta to the client, and be visible to whoever runs it.
  process.stderr.write(
    `meta-emulator internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return new GraphError(500, 1, 'An unknown error occurred', { isTransient: true });
}
