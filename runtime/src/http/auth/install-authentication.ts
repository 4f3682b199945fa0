import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { apiError } from '../errors/api-error';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import { roleAtLeast, type Principal, type WorkspaceRole } from './principal';
import { readApiKey } from './read-api-key';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every authenticated route; public routes never see one. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** A route reachable without an API key (health, docs, bootstrap, OAuth callbacks, webhooks). */
    public?: boolean;
  }
}

/**
 * Every route requires an API key unless its `config.public` is true: safe by default, so a route
 * module that forgets to think about auth is closed rather than open.
 */
export function installAuthentication(
  app: FastifyInstance,
  authenticator: ApiKeyAuthenticator | undefined,
): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    // Swagger UI registers its routes itself; they are public documentation.
    if (request.routeOptions.url.startsWith('/docs')) return;
    const apiKey = readApiKey(request);
    if (!apiKey) throw apiError('FLOWCARD_ERR_AUTH_REQUIRED');
    if (!authenticator)
      throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'API-key authentication (the store)' });
    const principal = await authenticator.authenticate(apiKey);
    if (!principal) throw apiError('FLOWCARD_ERR_API_KEY_INVALID');
    request.principal = principal;
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
