import { principalOf } from '../auth/install-authentication';
import { authOf, workspaceRoles } from '../auth/principal';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

export const principalSchema = {
  type: 'object',
  required: ['user', 'workspace', 'role'],
  properties: {
    user: {
      type: 'object',
      required: ['id', 'email'],
      properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
    },
    workspace: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string' }, name: { type: 'string' } },
    },
    role: { type: 'string', enum: [...workspaceRoles] },
    apiKeyId: { type: 'string', description: 'Id of the key used (the key itself is never shown again).' },
  },
} as const;

const meSchema = {
  ...principalSchema,
  required: [...principalSchema.required, 'auth'],
  properties: {
    ...principalSchema.properties,
    auth: { type: 'string', enum: ['session', 'api-key'], description: 'How this request authenticated' },
    csrfToken: {
      type: 'string',
      description: 'With a session cookie: the token to send as x-csrf-token on every POST/PUT/PATCH/DELETE',
    },
  },
} as const;

/** GET /v1/me: who is calling (API key or session), in which workspace, with which role. */
export const meRoutes = defineRouteModule({
  name: 'me',
  description: 'The caller: user, workspace and role behind the API key or session',
  prefix: '/v1',
  dependencies: {},
  register(app) {
    app.get(
      '/me',
      { schema: { summary: 'Who am I', response: { 200: meSchema, ...errorResponses(401) } } },
      async (request) => {
        const principal = principalOf(request);
        return {
          user: { ...principal.user, name: principal.user.name ?? '' },
          workspace: principal.workspace,
          role: principal.role,
          auth: authOf(principal),
          ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
          ...(request.csrfToken ? { csrfToken: request.csrfToken } : {}),
        };
      },
    );
  },
});
