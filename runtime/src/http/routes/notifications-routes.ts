import type { Notification } from '@flowcard/engine';
import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { Ports } from '../../container/port-tokens';
import { principalOf } from '../auth/install-authentication';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const notificationSchema = {
  type: 'object',
  required: ['id', 'kind', 'title', 'body', 'createdAt'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', examples: ['configuration.expiring', 'configuration.needs_reauth'] },
    title: { type: 'string' },
    body: { type: 'string' },
    configurationId: { type: ['string', 'null'] },
    data: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
    readAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

/** The in-app notifications list (one of the notifier's channels): my notifications in this workspace. */
export const notificationsRoutes = defineRouteModule({
  name: 'notifications',
  description: 'In-app notifications: expiry reminders, re-authorisation needed',
  prefix: '/v1/notifications',
  dependencies: { notifications: Ports.notifications, clock: ConfigurationTokens.clock },
  register(app, { notifications, clock }) {
    app.get<{ Querystring: { unreadOnly: boolean; limit: number } }>(
      '/',
      {
        schema: {
          summary: 'My notifications, newest first',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              unreadOnly: { type: 'boolean', default: false },
              limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['notifications', 'unread'],
              properties: {
                notifications: { type: 'array', items: notificationSchema },
                unread: { type: 'integer' },
              },
            },
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const query = { userId: principal.user.id, workspaceId: principal.workspace.id };
        const list = await notifications.listForUser({
          ...query,
          unreadOnly: request.query.unreadOnly,
          limit: request.query.limit,
        });
        return {
          notifications: list.map(notificationView),
          unread: await notifications.countUnread(query.userId, query.workspaceId),
        };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/:id/read',
      {
        schema: {
          summary: 'Mark one notification read',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          response: { 204: { type: 'null' }, ...errorResponses(401, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!(await notifications.markRead(request.params.id, principal.user.id, clock.now())))
          throw apiError('FLOWCARD_ERR_NOTIFICATION_NOT_FOUND', { id: request.params.id });
        return reply.status(204).send();
      },
    );

    app.post(
      '/read-all',
      {
        schema: {
          summary: 'Mark all my notifications in this workspace read',
          response: {
            200: { type: 'object', required: ['marked'], properties: { marked: { type: 'integer' } } },
            ...errorResponses(401),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return {
          marked: await notifications.markAllRead(principal.user.id, clock.now(), principal.workspace.id),
        };
      },
    );
  },
});

function notificationView(notification: Notification): Record<string, unknown> {
  return {
    id: notification.id,
    kind: notification.kind,
    title: notification.title,
    body: notification.body,
    configurationId: notification.configurationId,
    data: notification.data,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt ? notification.readAt.toISOString() : null,
  };
}
