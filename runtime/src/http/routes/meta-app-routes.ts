import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { principalOf, requireRole } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const metaAppViewSchema = {
  type: 'object',
  required: ['source', 'appId', 'appSecret'],
  description: 'The Meta app Connect Meta and token exchanges use. The secret is never returned.',
  properties: {
    source: {
      type: 'string',
      enum: ['shared', 'workspace'],
      description: "shared: the deployment's app; workspace: this workspace's own.",
    },
    appId: { type: 'string' },
    appSecret: { type: 'object', required: ['set'], properties: { set: { type: 'boolean' } } },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
    updatedBy: { type: ['string', 'null'] },
  },
  examples: [
    {
      source: 'workspace',
      appId: '1009000000000001',
      appSecret: { set: true },
      updatedAt: '2026-01-02T10:00:00.000Z',
      updatedBy: 'u_1',
    },
  ],
} as const;

/**
 * The workspace's Meta app: the deployment's shared app by default, or the workspace's own (admins).
 * `PUT` sets the workspace's app after Meta accepted its id + secret; `DELETE` goes back to shared.
 */
export const metaAppRoutes = defineRouteModule({
  name: 'meta-app',
  description: "The Meta app this workspace connects with: the deployment's shared app or its own",
  prefix: '/v1/workspace/meta-app',
  dependencies: { settings: ConfigurationTokens.metaAppSettings },
  register(app, { settings }) {
    app.get(
      '/',
      {
        schema: {
          summary: 'Which Meta app this workspace uses',
          response: { 200: metaAppViewSchema, ...errorResponses(401) },
        },
      },
      async (request) => settings.get(principalOf(request)),
    );

    app.put<{ Body: { appId: string; appSecret: string } }>(
      '/',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: "Use the workspace's own Meta app (admins); Meta must accept the id and secret",
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['appId', 'appSecret'],
            properties: {
              appId: { type: 'string', pattern: '^[0-9]{5,20}$' },
              appSecret: { type: 'string', minLength: 8, maxLength: 200 },
            },
          },
          response: { 200: metaAppViewSchema, ...errorResponses(400, 401, 403, 503) },
        },
      },
      async (request) =>
        settings.useWorkspaceApp(principalOf(request), request.body.appId, request.body.appSecret),
    );

    app.delete(
      '/',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: "Go back to the deployment's shared Meta app (admins)",
          response: { 200: metaAppViewSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => settings.useSharedApp(principalOf(request)),
    );
  },
});
