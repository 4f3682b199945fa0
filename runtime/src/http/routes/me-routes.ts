import { principalOf } from '../auth/install-authentication';
import { workspaceRoles } from '../auth/principal';
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

/** GET /v1/me: who the API key belongs to, in which workspace, with which role. */
export const meRoutes = defineRouteModule({
  name: 'me',
  description: 'The caller: user, workspace and role behind the API key',
  prefix: '/v1',
  dependencies: {},
  register(app) {
    app.get(
      '/me',
      { schema: { summary: 'Who am I', response: { 200: principalSchema, ...errorResponses(401) } } },
      async (request) => principalOf(request),
    );
  },
});
