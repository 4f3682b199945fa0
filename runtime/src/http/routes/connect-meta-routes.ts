import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { connectMetaMessages } from '../../connect-meta/connect-meta-messages';
import { connectMetaPage } from '../../connect-meta/connect-meta-page';
import {
  STATE_TTL_MS,
  type CallbackQuery,
  type ConnectStart,
  type ConnectStartRequest,
} from '../../connect-meta/connect-meta-service';
import { confirmQuerySchema, removalImpactSchema } from '../../connections/removal-impact-schema';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { principalOf } from '../auth/install-authentication';
import { authOf, type Principal } from '../auth/principal';
import { readApiKey } from '../auth/read-api-key';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { HttpTokens } from '../http-tokens';
import { defineRouteModule } from '../route-module';

/** Cookie binding the callback to the browser that started the connection. */
export const CONNECT_SESSION_COOKIE = 'flowcard_meta_session';
/** The same value for clients that cannot keep cookies (scripts, tests). */
export const CONNECT_SESSION_HEADER = 'x-flowcard-connect-session';
/**
 * Set at start when a Studio session (cookie) started the connection: the callback then sends the
 * browser back to the Studio's integrations page instead of answering the small HTML page.
 */
export const CONNECT_RETURN_COOKIE = 'flowcard_meta_return';
/** Where the Studio shows the outcome: `?connect=ok&connector=…` or `?connect=error&code=…`. */
export const STUDIO_INTEGRATIONS_PATH = '/settings/integrations';
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

const metaUserParams = {
  type: 'object',
  required: ['metaUserId'],
  properties: { metaUserId: { type: 'string', minLength: 1 } },
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
 * Connect Meta (docs/architecture.md §5). `start` needs an API key (owners and admins); the callback is public:
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
    const cookieLine = (name: string, value: string, maxAge: number): string =>
      `${name}=${value}; Path=${PREFIX}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    const setSessionCookie = (reply: FastifyReply, started: ConnectStart, principal: Principal): void => {
      const session = cookieLine(CONNECT_SESSION_COOKIE, started.sessionId, STATE_TTL_MS / 1000);
      // Started from the Studio (a signed-in browser): come back to it. An API-key start sets only
      // the session cookie, exactly as before.
      if (authOf(principal) === 'session')
        reply.header('set-cookie', [
          session,
          cookieLine(CONNECT_RETURN_COOKIE, 'studio', STATE_TTL_MS / 1000),
        ]);
      else reply.header('set-cookie', session);
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
        const principal = principalOf(request);
        let started: ConnectStart;
        try {
          started = await connect.start(principal, request.query);
        } catch (error) {
          // A browser navigation from the Studio goes back to it with the code (e.g. a member's
          // "Your role doesn't allow connecting Meta accounts."); scripts get the JSON error.
          const code = (error as { code?: unknown }).code;
          if (authOf(principal) === 'session' && typeof code === 'string' && code.startsWith('FLOWCARD_ERR_'))
            return reply.redirect(studioReturn({ connect: 'error', code }), 302);
          throw error;
        }
        setSessionCookie(reply, started, principal);
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
        setSessionCookie(reply, started, principalOf(request));
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
        // The return cookie is kept for its 10 minutes: a reload of this URL in the Studio's tab
        // also goes back to the Studio (with "Security check failed…").
        const toStudio = !json && cookieOf(request, CONNECT_RETURN_COOKIE) === 'studio';
        const clearSessionCookie = (): void => {
          reply.header('set-cookie', cookieLine(CONNECT_SESSION_COOKIE, '', 0));
        };
        reply.header('cache-control', 'no-store');
        try {
          const principal = await optionalPrincipal(request, authenticator);
          const result = await connect.callback(request.query, { sessionId: sessionOf(request), principal });
          // Single use: the cookie has done its job.
          clearSessionCookie();
          if (toStudio)
            return reply.redirect(studioReturn({ connect: 'ok', connector: result.connector }), 302);
          if (json) return reply.status(200).send(result);
          return reply
            .status(200)
            .type('text/html; charset=utf-8')
            .send(connectMetaPage({ ok: true, result }));
        } catch (error) {
          const failure = error as { code?: unknown; status?: unknown; message?: string };
          const known =
            typeof failure.code === 'string' &&
            failure.code.startsWith('FLOWCARD_ERR_') &&
            typeof failure.status === 'number';
          // A forged, altered or replayed callback did not match this browser's connection: the
          // genuine callback may still be on its way, so its cookie stays.
          if (!known || !KEEPS_SESSION_COOKIE.has(failure.code as string)) clearSessionCookie();
          if (toStudio) {
            // The Studio shows the message and "what to do" for the code (GET /v1/connect/meta/messages);
            // the URL carries only the code (and Meta's own error code for a refusal), never a message.
            if (!known) request.log.error({ err: error }, 'Connect Meta callback failed');
            const code = known ? (failure.code as string) : 'FLOWCARD_ERR_INTERNAL';
            const graphCode = (failure as { params?: { code?: unknown } }).params?.code;
            return reply.redirect(
              studioReturn({
                connect: 'error',
                code,
                ...(code === 'FLOWCARD_ERR_META_REFUSED' && graphCode !== undefined
                  ? {
                      graphCode: String(graphCode)
                        .replace(/[^\w.-]/g, '')
                        .slice(0, 40),
                    }
                  : {}),
              }),
              302,
            );
          }
          if (!known) throw error;
          if (json)
            return reply
              .status(failure.status as number)
              .send({ error: { code: failure.code, message: failure.message } });
          return reply
            .status(failure.status as number)
            .type('text/html; charset=utf-8')
            .send(connectMetaPage({ ok: false, message: failure.message ?? '' }));
        }
      },
    );

    app.get<{ Params: { metaUserId: string } }>(
      '/connections/:metaUserId/impact',
      {
        schema: {
          summary:
            "What disconnecting would take away: every configuration of the grant (anyone's) and every flow using one",
          params: metaUserParams,
          response: { 200: removalImpactSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => connect.disconnectImpact(principalOf(request), request.params.metaUserId),
    );

    app.get(
      '/messages',
      {
        config: { public: true },
        schema: {
          summary:
            'The messages a Connect Meta attempt can end with, each with a "what to do" line (for the Studio)',
          response: {
            200: {
              type: 'object',
              required: ['messages'],
              properties: {
                messages: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['code', 'message', 'whatToDo'],
                    properties: {
                      code: { type: 'string' },
                      message: { type: 'string' },
                      whatToDo: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async () => ({ messages: connectMetaMessages() }),
    );

    app.delete<{ Params: { metaUserId: string }; Querystring: { confirm: boolean } }>(
      '/connections/:metaUserId',
      {
        schema: {
          summary:
            "Disconnect all (?confirm=true when it reaches flows or others' configurations): revoke the grant at Meta, remove every configuration of it in this workspace, pause the flows using them and tell their owners",
          params: metaUserParams,
          querystring: confirmQuerySchema,
          response: {
            200: {
              type: 'object',
              required: ['removed', 'revokedAtMeta'],
              properties: { removed: { type: 'integer' }, revokedAtMeta: { type: 'boolean' } },
            },
            ...errorResponses(401, 403, 404, 409, 503),
          },
        },
      },
      async (request) =>
        connect.disconnect(principalOf(request), request.params.metaUserId, {
          confirm: request.query.confirm,
        }),
    );
  },
});

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

function sessionOf(request: FastifyRequest): string | undefined {
  const header = request.headers[CONNECT_SESSION_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  return cookieOf(request, CONNECT_SESSION_COOKIE);
}

function cookieOf(request: FastifyRequest, cookie: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie && value.join('=') !== '') return value.join('=');
  }
  return undefined;
}

/** The Studio's integrations page with the outcome in its query (a path on this origin). */
function studioReturn(query: Record<string, string>): string {
  return `${STUDIO_INTEGRATIONS_PATH}?${new URLSearchParams(query).toString()}`;
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
