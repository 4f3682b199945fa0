import type { FastifyRequest } from 'fastify';
import { createAdmin } from '../../admin/create-admin';
import { Ports } from '../../container/port-tokens';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { workspaceRoles } from '../auth/principal';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const bootstrapBody = {
  type: 'object',
  required: ['email', 'workspace'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', maxLength: 320 },
    workspace: { type: 'string', minLength: 1, maxLength: 200, description: 'Name of the first workspace' },
    name: { type: 'string', maxLength: 200 },
    role: { type: 'string', enum: [...workspaceRoles], default: 'owner' },
  },
} as const;

const bootstrapAnswer = {
  type: 'object',
  required: ['apiKey', 'user', 'workspace', 'role'],
  properties: {
    apiKey: { type: 'string', description: 'Shown once: store it now. Only its hash is kept.' },
    apiKeyId: { type: 'string' },
    user: { type: 'object', properties: { id: { type: 'string' }, email: { type: 'string' } } },
    workspace: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    role: { type: 'string' },
  },
} as const;

interface BootstrapBody {
  email: string;
  workspace: string;
  name?: string;
  role?: (typeof workspaceRoles)[number];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * POST /v1/admin/bootstrap: creates the first workspace, user and API key while the deployment has
 * no workspace at all, and only from localhost. This is how `flowcard admin create --api <url>`
 * works against an embedded (in-memory) database that no other process can reach.
 */
export const adminRoutes = defineRouteModule({
  name: 'admin',
  description: 'Deployment administration',
  prefix: '/v1/admin',
  dependencies: { config: RuntimeTokens.config, redis: RuntimeTokens.redis },
  optional: { users: Ports.users, workspaces: Ports.workspaces },
  register(app, { config, redis, users, workspaces }) {
    app.post<{ Body: BootstrapBody }>(
      '/bootstrap',
      {
        config: { public: true },
        schema: {
          summary: 'Create the first admin and API key (only while no workspace exists, only from localhost)',
          body: bootstrapBody,
          response: { 201: bootstrapAnswer, ...errorResponses(400, 403, 409, 503) },
        },
      },
      async (request, reply) => {
        if (config.bootstrap === 'off')
          throw apiError('FLOWCARD_ERR_BOOTSTRAP_LOCAL_ONLY', { reason: 'FLOWCARD_BOOTSTRAP=off' });
        const refusal = localOnlyRefusal(request);
        if (refusal) throw apiError('FLOWCARD_ERR_BOOTSTRAP_LOCAL_ONLY', { reason: refusal });
        if (!users || !workspaces) throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'The store' });
        // Two concurrent bootstraps must not both win: hold a short Redis lock while checking and creating.
        const lock = `${config.redisPrefix}:bootstrap-lock`;
        if ((await redis.set(lock, '1', 'PX', 30_000, 'NX')) !== 'OK')
          throw apiError('FLOWCARD_ERR_BOOTSTRAP_CLOSED');
        try {
          if ((await workspaces.list()).length > 0) throw apiError('FLOWCARD_ERR_BOOTSTRAP_CLOSED');
          const created = await createAdmin({ users, workspaces }, { ...request.body, keyName: 'bootstrap' });
          request.log.info(
            { userId: created.user.id, workspaceId: created.workspace.id },
            'first admin created through bootstrap',
          );
          return reply.status(201).send({
            apiKey: created.apiKey,
            apiKeyId: created.apiKeyId,
            user: { id: created.user.id, email: created.user.email },
            workspace: { id: created.workspace.id, name: created.workspace.name },
            role: created.role,
          });
        } finally {
          await redis.del(lock);
        }
      },
    );
  },
});

/** Why a request is not a local one, or undefined when it is. A proxy hop means a remote caller. */
function localOnlyRefusal(request: FastifyRequest): string | undefined {
  const address = request.socket.remoteAddress ?? '';
  if (!LOOPBACK.has(address)) return `the request came from ${address || 'an unknown address'}`;
  if (request.headers['x-forwarded-for'] || request.headers.forwarded)
    return 'the request came through a proxy';
  return undefined;
}
