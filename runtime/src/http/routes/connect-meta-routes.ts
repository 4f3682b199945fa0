import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { connectMetaPage } from '../../connect-meta/connect-meta-page';
import {
  STATE_TTL_MS,
  type CallbackQuery,
  type ConnectStart,
  type ConnectStartRequest,
} from '../../connect-meta/connect-meta-service';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { principalOf } from '../auth/install-authentication';
import type { Principal } from '../auth/principal';
import { readApiKey } from '../auth/read-api-key';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { HttpTokens } from '../http-tokens';
import { defineRouteModule } from '../route-module';

/** Cookie binding the callback to the browser that started the connection. */
export const CONNECT_SESSION_COOKIE = 'flowcard_meta_session';
/** The same value for clients that cannot keep cookies (scripts, tests). */
export const CONNECT_SESSION_HEADER = 'x-flowcard-connect-session';
const PREFIX = '/v1/connect/meta';
/** Failures that say the callback was not this browser's connection: its own one is still pending. */
const KEEPS_SESSION_COOKIE = new Set([
  'FLOWCARD_ERR_META_STATE_INVALID',
  'FLOWCARD_ERR_META_SESSION_CHANGED',
]);

const startQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['connector'],
  properties: {
    connector: { type: 'string', minLength: 1, examples: ['facebook-pages', 'facebook-leads'] },
    configurationId: {
      type: 'string',
      minLength: 1,
      description: 'Re-authorise this configuration in place (same id; asks again for declined permissions).',
    },
  },
} as const;

const connectedSchema = {
  type: 'object',
  required: ['connector', 'metaUserId', 'pages'],
  properties: {
    connector: { type: 'string' },
    metaUserId: { type: 'string' },
    pages: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          configurationId: { type: 'string' },
          nickname: { type: 'string' },
          pageId: { type: 'string' },
          pageName: { type: 'string' },
          reauthorized: { type: 'boolean' },
        },
      },
    },
  },
} as const;

/**
 * Connect Meta (DESIGN.md §5). `start` needs an API key (owners and admins); the callback is public:
 * the browser comes back from Facebook carrying only the state and the session cookie set at start.
 * It answers a small HTML page, or JSON when the client asks for `application/json`.
 */
export const connectMetaRoutes = defineRouteModule({
  name: 'connect-meta',
  description: 'Connect Facebook Pages through the Facebook login dialog; revoke and disconnect',
  prefix: PREFIX,
  dependencies: { connect: ConfigurationTokens.connectMeta, config: RuntimeTokens.config },
  optional: { authenticator: HttpTokens.apiKeyAuthenticator },
  register(app, { connect, config, authenticator }) {
    const secure = config.publicUrl.startsWith('https:');
    const setSessionCookie = (reply: FastifyReply, started: ConnectStart): void => {
      reply.header(
        'set-cookie',
        `${CONNECT_SESSION_COOKIE}=${started.sessionId}; Path=${PREFIX}; Max-Age=${STATE_TTL_MS / 1000}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
      );
    };

    app.get<{ Querystring: ConnectStartRequest }>(
      '/start',
      {
        schema: {
          summary:
            'Start connecting: redirects (302) to the Facebook login dialog and sets the session cookie',
          querystring: startQuerySchema,
          response: {
            302: { type: 'null', description: 'Redirect to the dialog' },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const started = await connect.start(principalOf(request), request.query);
        setSessionCookie(reply, started);
        return reply.redirect(started.url, 302);
      },
    );

    app.post<{ Body: ConnectStartRequest }>(
      '/start',
      {
        schema: {
          summary: 'Start connecting (API style): answers the dialog URL and sets the session cookie',
          body: startQuerySchema,
          response: {
            200: {
              type: 'object',
              required: ['url', 'expiresAt'],
              properties: {
                url: { type: 'string', description: 'Open it in the browser that has the session cookie.' },
                expiresAt: { type: 'string', format: 'date-time' },
                sessionId: {
                  type: 'string',
                  description: `The session value, for clients that send it as ${CONNECT_SESSION_HEADER} instead of the cookie.`,
                },
              },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const started = await connect.start(principalOf(request), request.body);
        setSessionCookie(reply, started);
        return { url: started.url, expiresAt: started.expiresAt.toISOString(), sessionId: started.sessionId };
      },
    );

    app.get<{ Querystring: CallbackQuery }>(
      '/callback',
      {
        config: { public: true },
        schema: {
          summary:
            'Where Facebook sends the browser back: stores one configuration per Page (HTML page, or JSON with Accept: application/json)',
          querystring: {
            type: 'object',
            additionalProperties: true,
            properties: {
              code: { type: 'string' },
              state: { type: 'string' },
              error: { type: 'string' },
              error_reason: { type: 'string' },
            },
          },
          response: { 200: connectedSchema, ...errorResponses(400, 403, 502, 503) },
        },
      },
      async (request, reply) => {
        const json = wantsJson(request);
        const clearSessionCookie = (): void => {
          reply.header(
            'set-cookie',
            `${CONNECT_SESSION_COOKIE}=; Path=${PREFIX}; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
          );
        };
        reply.header('cache-control', 'no-store');
        try {
          const principal = await optionalPrincipal(request, authenticator);
          const result = await connect.callback(request.query, { sessionId: sessionOf(request), principal });
          // Single use: the cookie has done its job.
          clearSessionCookie();
          if (json) return reply.status(200).send(result);
          return reply
            .status(200)
            .type('text/html; charset=utf-8')
            .send(connectMetaPage({ ok: true, result }));
        } catch (error) {
          const failure = error as { code?: unknown; status?: unknown; message?: string };
          if (
            typeof failure.code !== 'string' ||
            !failure.code.startsWith('FLOWCARD_ERR_') ||
            typeof failure.status !== 'number'
          )
            throw error;
          // A forged, altered or replayed callback did not match this browser's connection: the
          // genuine callback may still be on its way, so its cookie stays.
          if (!KEEPS_SESSION_COOKIE.has(failure.code)) clearSessionCookie();
          if (json)
            return reply
              .status(failure.status)
              .send({ error: { code: failure.code, message: failure.message } });
          return reply
            .status(failure.status)
            .type('text/html; charset=utf-8')
            .send(connectMetaPage({ ok: false, message: failure.message ?? '' }));
        }
      },
    );

    app.delete<{ Params: { metaUserId: string } }>(
      '/connections/:metaUserId',
      {
        schema: {
          summary:
            'Disconnect all: revoke the grant at Meta and remove every configuration of it in this workspace',
          params: {
            type: 'object',
            required: ['metaUserId'],
            properties: { metaUserId: { type: 'string', minLength: 1 } },
          },
          response: {
            200: {
              type: 'object',
              required: ['removed', 'revokedAtMeta'],
              properties: { removed: { type: 'integer' }, revokedAtMeta: { type: 'boolean' } },
            },
            ...errorResponses(401, 403, 404, 503),
          },
        },
      },
      async (request) => connect.disconnect(principalOf(request), request.params.metaUserId),
    );
  },
});

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

function sessionOf(request: FastifyRequest): string | undefined {
  const header = request.headers[CONNECT_SESSION_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CONNECT_SESSION_COOKIE && value.join('=') !== '') return value.join('=');
  }
  return undefined;
}

/** The callback is public, but a caller presenting an API key must be the user who started. */
async function optionalPrincipal(
  request: FastifyRequest,
  authenticator: { authenticate(key: string): Promise<Principal | undefined> } | undefined,
): Promise<Principal | undefined> {
  const apiKey = readApiKey(request);
  if (!apiKey || !authenticator) return undefined;
  const principal = await authenticator.authenticate(apiKey);
  // A key that names nobody is not the user who started.
  if (!principal) throw apiError('FLOWCARD_ERR_META_SESSION_CHANGED');
  return principal;
}
