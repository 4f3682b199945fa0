import { PeopleTokens } from '../../people/people-tokens';
import { principalOf, requireRole } from '../auth/install-authentication';
import type { WorkspaceRole } from '../auth/principal';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';
import { emailField, roleField } from './people-schemas';

const memberSchema = {
  type: 'object',
  required: ['id', 'name', 'email', 'role', 'lastSeenAt', 'isYou'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    role: roleField,
    lastSeenAt: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'Last request with a session or API key (to the minute); null: never',
    },
    isYou: { type: 'boolean' },
  },
} as const;

const inviteSchema = {
  type: 'object',
  required: ['id', 'email', 'role', 'createdAt', 'expiresAt', 'status'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    role: roleField,
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['pending', 'accepted', 'expired', 'revoked'] },
  },
} as const;

const ownedSchema = {
  type: 'object',
  required: ['configurations', 'flows'],
  properties: {
    configurations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'nickname', 'connector'],
        properties: { id: { type: 'string' }, nickname: { type: 'string' }, connector: { type: 'string' } },
      },
    },
    flows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name'],
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
    },
  },
} as const;

const userIdParams = {
  type: 'object',
  required: ['userId'],
  properties: { userId: { type: 'string', minLength: 1 } },
} as const;

/**
 * The team of the caller's workspace. Members read the list; owners and admins change roles, remove
 * members and manage invites; only owners touch the owner role.
 */
export const teamRoutes = defineRouteModule({
  name: 'team',
  description: 'Members of your workspace (roles, last seen, removal with transfer) and invites',
  prefix: '/v1/team',
  dependencies: { team: PeopleTokens.team, invites: PeopleTokens.invites },
  register(app, { team, invites }) {
    app.get(
      '/members',
      {
        schema: {
          summary: 'Members of your workspace (any member may read it)',
          response: {
            200: {
              type: 'object',
              required: ['members'],
              properties: { members: { type: 'array', items: memberSchema } },
            },
            ...errorResponses(401),
          },
        },
      },
      async (request) => ({ members: await team.members(principalOf(request)) }),
    );

    app.patch<{ Params: { userId: string }; Body: { role: WorkspaceRole } }>(
      '/members/:userId',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary:
            "Change a member's role (only an owner grants or takes the owner role; never the last owner)",
          params: userIdParams,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['role'],
            properties: { role: roleField },
          },
          response: {
            200: { type: 'object', required: ['member'], properties: { member: memberSchema } },
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => ({
        member: await team.changeRole(principalOf(request), request.params.userId, request.body.role),
      }),
    );

    app.get<{ Params: { userId: string } }>(
      '/members/:userId/removal',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: 'What removing this member would transfer: the configurations and flows they own here',
          params: userIdParams,
          response: { 200: ownedSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => team.owned(principalOf(request), request.params.userId),
    );

    app.delete<{ Params: { userId: string }; Body: { transferTo?: string } }>(
      '/members/:userId',
      {
        preHandler: requireRole('admin'),
        // The body is optional: DELETE without one means "no transfer".
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          summary:
            'Remove a member: what they own moves to transferTo; without it, a member who owns anything is not removed (409 with the list)',
          params: userIdParams,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              transferTo: { type: 'string', minLength: 1, description: 'Member who receives their items' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['transferred'],
              properties: {
                transferred: {
                  type: 'object',
                  required: ['configurations', 'flows'],
                  properties: { configurations: { type: 'integer' }, flows: { type: 'integer' } },
                },
              },
            },
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => team.remove(principalOf(request), request.params.userId, request.body.transferTo),
    );

    app.get(
      '/invites',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: "Your workspace's invites, newest first, with their status",
          response: {
            200: {
              type: 'object',
              required: ['invites'],
              properties: { invites: { type: 'array', items: inviteSchema } },
            },
            ...errorResponses(401, 403),
          },
        },
      },
      async (request) => ({ invites: await invites.list(principalOf(request)) }),
    );

    app.post<{ Body: { email: string; role: 'admin' | 'member' } }>(
      '/invites',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary:
            'Invite by email: a single-use link valid 7 days, shown once here and sent through the notifier webhook when configured',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['email', 'role'],
            properties: {
              email: emailField,
              role: {
                type: 'string',
                enum: ['admin', 'member'],
                description: 'Owners are made by changing a member’s role',
              },
            },
          },
          response: {
            201: {
              type: 'object',
              required: ['invite', 'link', 'notified'],
              properties: {
                invite: inviteSchema,
                link: { type: 'string', description: '<public url>/invite/<token>: copy it now' },
                notified: { type: 'boolean', description: 'The notifier webhook took the link' },
              },
            },
            ...errorResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await invites.create(principalOf(request), request.body)),
    );

    app.delete<{ Params: { id: string } }>(
      '/invites/:id',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: 'Withdraw a pending invite: its link stops working',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
          response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await invites.revoke(principalOf(request), request.params.id);
        return reply.status(204).send();
      },
    );
  },
});
