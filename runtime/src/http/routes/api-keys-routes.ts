import { generateApiKey, type ApiKey } from '@flowcard/engine';
import { Ports } from '../../container/port-tokens';
import { PeopleTokens } from '../../people/people-tokens';
import { trimmedName } from '../../people/field-problem';
import { principalOf } from '../auth/install-authentication';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const apiKeySchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt', 'lastUsedAt', 'revokedAt'],
  properties: {
    id: { type: 'string', description: 'Public id, also the part after fc_ in the key' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'Written at most every 5 minutes',
    },
    revokedAt: { type: 'string', format: 'date-time', nullable: true },
  },
} as const;

const view = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

/**
 * Personal API keys for scripts: each acts as its user, in the workspace it was created in, with the
 * user's role there. The key is shown once at creation; only its SHA-256 is stored.
 */
export const apiKeysRoutes = defineRouteModule({
  name: 'api-keys',
  description: 'Your personal API keys: list, create (shown once), revoke',
  prefix: '/v1/me/api-keys',
  dependencies: { users: Ports.users, clock: PeopleTokens.clock },
  register(app, { users, clock }) {
    const mine = async (userId: string, workspaceId: string) =>
      (await users.listApiKeys(userId)).filter((key) => key.workspaceId === workspaceId);

    app.get(
      '/',
      {
        schema: {
          summary: 'Your API keys in this workspace (revoked ones included, with revokedAt)',
          response: {
            200: {
              type: 'object',
              required: ['apiKeys'],
              properties: { apiKeys: { type: 'array', items: apiKeySchema } },
            },
            ...errorResponses(401),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return { apiKeys: (await mine(principal.user.id, principal.workspace.id)).map(view) };
      },
    );

    app.post<{ Body: { name: string } }>(
      '/',
      {
        schema: {
          summary: 'Create an API key: the key is in this answer only, store it now',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 100, description: 'What the key is for' },
            },
          },
          response: {
            201: {
              type: 'object',
              required: ['apiKey', 'key'],
              properties: {
                apiKey: apiKeySchema,
                key: { type: 'string', description: 'fc_…: shown once, never again (only its hash is kept)' },
              },
            },
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const name = trimmedName(request.body.name, '/name');
        const generated = generateApiKey();
        const stored = await users.createApiKey({
          id: generated.id,
          userId: principal.user.id,
          workspaceId: principal.workspace.id,
          name,
          hash: generated.hash,
        });
        request.log.info({ apiKeyId: stored.id, userId: principal.user.id }, 'API key created');
        return reply.status(201).send({ apiKey: view(stored), key: generated.key });
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/:id',
      {
        schema: {
          summary: 'Revoke one of your API keys: it stops working on the next request',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
          response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const key = (await mine(principal.user.id, principal.workspace.id)).find(
          (candidate) => candidate.id === request.params.id && !candidate.revokedAt,
        );
        if (!key || !(await users.revokeApiKey(key.id, clock.now())))
          throw apiError('FLOWCARD_ERR_API_KEY_NOT_FOUND', { id: request.params.id });
        request.log.info({ apiKeyId: key.id, userId: principal.user.id }, 'API key revoked');
        return reply.status(204).send();
      },
    );
  },
});
