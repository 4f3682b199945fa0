import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorRegistry, formatErrorMessage } from '@flowcard/engine';
import { runtimeErrorCodes } from './runtime-error-codes';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface ValidationIssue {
  where: string;
  path: string;
  message: string;
}

/**
 * Installs the one error rendering of the API: every failure answers `{ error: { code, message,
 * details? } }` with a FLOWCARD_ERR_* code. Errors are recognised by `code`/`name` (docs/conventions.md #5) so
 * errors from any package render the same way; anything unrecognised becomes a 500 whose message
 * hides internals (they go to the log with the request id instead).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toErrorBody(error, request);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const spec = runtimeErrorCodes.FLOWCARD_ERR_ROUTE_NOT_FOUND;
    const url = request.url.split('?')[0];
    return reply.status(404).send({
      error: {
        code: spec.code,
        message: formatErrorMessage(spec.message, { method: request.method, url }),
      },
    });
  });
}

/**
 * Fastify's `frameworkErrors`: failures found while routing, before our error handler is reached
 * (a path segment over the router's 100 characters → 414, a malformed percent-encoding → 400),
 * answered in our shape instead of Fastify's own body.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const url = (request.url ?? '').split('?')[0]!;
  const shown = url.length > 80 ? `${url.slice(0, 80)}…` : url;
  const spec =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? runtimeErrorCodes.FLOWCARD_ERR_URL_TOO_LONG
      : runtimeErrorCodes.FLOWCARD_ERR_URL_INVALID;
  void reply.status(spec.status).send({
    error: { code: spec.code, message: formatErrorMessage(spec.message, { url: shown }) },
  });
}

function toErrorBody(
  error: FastifyError & { details?: unknown; status?: unknown },
  request: FastifyRequest,
): { status: number; body: ErrorBody } {
  if (error.validation) {
    const details = error.validation.map((issue): ValidationIssue => ({
      where: error.validationContext ?? 'body',
      path: pointerOf(issue),
      message: describeIssue(issue),
    }));
    // The summary names the object holding a missing property ("body must have property …").
    const where = error.validationContext ?? 'body';
    const summary = error.validation
      .map((issue, index) => `${where}${issue.instancePath} ${details[index]!.message}`)
      .join('; ');
    const spec = runtimeErrorCodes.FLOWCARD_ERR_REQUEST_INVALID;
    return {
      status: 400,
      body: { error: { code: spec.code, message: formatErrorMessage(spec.message, { summary }), details } },
    };
  }
  if (error.name === 'CardError' && typeof error.code === 'string') {
    // A card run failed (e.g. an options card): its `status` is the upstream one, not ours; the API
    // answers with the status registered for the code. The message is already redacted by the engine.
    const status = errorRegistry.get(error.code)?.status ?? 502;
    return { status, body: { error: { code: error.code, message: error.message } } };
  }
  if (
    typeof error.code === 'string' &&
    error.code.startsWith('FLOWCARD_ERR_') &&
    typeof error.status === 'number'
  ) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body };
  }
  // Fastify's own client errors (bad JSON, body too large, unsupported media type) keep their status.
  const status = error.statusCode ?? 500;
  if (status < 500) {
    const spec = runtimeErrorCodes.FLOWCARD_ERR_REQUEST_INVALID;
    return {
      status,
      body: {
        error: { code: spec.code, message: formatErrorMessage(spec.message, { summary: error.message }) },
      },
    };
  }
  const spec = runtimeErrorCodes.FLOWCARD_ERR_INTERNAL;
  return {
    status: 500,
    body: {
      error: { code: spec.code, message: formatErrorMessage(spec.message, { requestId: request.id }) },
    },
  };
}

/**
 * The JSON pointer of the field a problem is about, so a form can show the message next to it: a
 * missing or unexpected property points at that property, not at the object holding it.
 */
function pointerOf(issue: {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}): string {
  const property =
    issue.keyword === 'required'
      ? issue.params.missingProperty
      : issue.keyword === 'additionalProperties'
        ? issue.params.additionalProperty
        : undefined;
  if (typeof property === 'string')
    return `${issue.instancePath}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return issue.instancePath || '/';
}

function describeIssue(issue: {
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}): string {
  if (issue.keyword === 'required') return `must have property "${String(issue.params.missingProperty)}"`;
  if (issue.keyword === 'additionalProperties')
    return `must not have property "${String(issue.params.additionalProperty)}"`;
  if (issue.keyword === 'format' && issue.params.format === 'email') return 'must be an email address';
  if (issue.keyword === 'minLength')
    return Number(issue.params.limit) === 1
      ? 'must not be empty'
      : `must be at least ${String(issue.params.limit)} characters long`;
  if (issue.keyword === 'maxLength') return `must be at most ${String(issue.params.limit)} characters long`;
  if (issue.keyword === 'enum')
    return `must be one of ${(issue.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message ?? issue.keyword;
}
