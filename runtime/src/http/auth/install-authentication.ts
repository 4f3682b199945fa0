import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { CSRF_HEADER, csrfTokenMatches, SESSION_COOKIE } from '../../people/session-token';
import { apiError } from '../errors/api-error';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import { roleAtLeast, type Principal, type WorkspaceRole } from './principal';
import { readApiKey } from './read-api-key';
import type { SessionAuthenticator } from './session-authenticator';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every authenticated route; public routes never see one. */
    principal?: Principal;
    /** The session's CSRF token when the caller authenticated with the session cookie. */
    csrfToken?: string;
  }
  interface FastifyContextConfig {
    /** A route reachable without an API key (health, docs, bootstrap, OAuth callbacks, webhooks). */
    public?: boolean;
  }
}

/** Methods that change nothing: no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route requires an API key or a session cookie unless its `config.public` is true: safe by
 * default, so a route module that forgets to think about auth is closed rather than open.
 *
 * An API key wins when both are sent (scripts; no CSRF token needed: another site's page cannot set
 * an Authorization header without CORS, which the API does not grant). A session cookie that is
 * unknown or expired answers FLOWCARD_ERR_SESSION_EXPIRED and clears the cookie; a cookie-
 * authenticated POST/PUT/PATCH/DELETE must carry the session's token in `x-csrf-token`.
 */
export function installAuthentication(
  app: FastifyInstance,
  authenticator: ApiKeyAuthenticator | undefined,
  sessions?: SessionAuthenticator,
  cookie: { secure: boolean } = { secure: false },
): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    // Swagger UI registers its routes itself; they are public documentation.
    if (request.routeOptions.url.startsWith('/docs')) return;
    const apiKey = readApiKey(request);
    if (apiKey) {
      if (!authenticator)
        throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'API-key authentication (the store)' });
      const principal = await authenticator.authenticate(apiKey);
      if (!principal) throw apiError('FLOWCARD_ERR_API_KEY_INVALID');
      request.principal = principal;
      return;
    }
    const sessionToken = request.cookies?.[SESSION_COOKIE];
    if (sessionToken === undefined || sessionToken === '') throw apiError('FLOWCARD_ERR_AUTH_REQUIRED');
    if (!sessions)
      throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'Sign-in sessions (the store)' });
    const found = await sessions.authenticate(sessionToken);
    if (!found) {
      reply.clearCookie(SESSION_COOKIE, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookie.secure,
      });
      throw apiError('FLOWCARD_ERR_SESSION_EXPIRED');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (!csrfTokenMatches(sessionToken, typeof presented === 'string' ? presented : undefined))
        throw apiError('FLOWCARD_ERR_CSRF_INVALID');
    }
    request.principal = found.principal;
    request.csrfToken = found.csrfToken;
  });
}

/** A preHandler refusing callers whose workspace role is below `required`. */
export function requireRole(required: WorkspaceRole): preHandlerHookHandler {
  return async (request: FastifyRequest) => {
    const principal = principalOf(request);
    if (!roleAtLeast(principal.role, required))
      throw apiError('FLOWCARD_ERR_ROLE_FORBIDDEN', { role: principal.role, required });
  };
}

/** The caller of an authenticated route; throws when used on a public route (a programming error). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw apiError('FLOWCARD_ERR_AUTH_REQUIRED');
  return request.principal;
}
