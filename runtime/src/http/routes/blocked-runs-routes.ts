import { ConnectionTokens } from '../../connections/connection-tokens';
import { principalOf } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const replayResultSchema = {
  type: 'object',
  required: ['runId', 'flowId', 'started'],
  properties: {
    runId: { type: 'string', description: 'The run the item became (for Meta webhook cards: the same id).' },
    flowId: { type: 'string' },
    started: {
      type: 'boolean',
      description: 'False when the item had already started its run (e.g. the backfill after a reconnect).',
    },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1 } },
} as const;

/**
 * Blocked runs: trigger items that arrived while their flow's configuration was gone or unusable
 * (listed with the flow's runs, `status=blocked`). Once reconnected, the flow's owner or an admin
 * replays one, or all of a flow's.
 */
export const blockedRunsRoutes = defineRouteModule({
  name: 'blocked-runs',
  description: 'Replay trigger items that waited as blocked runs while a connection was broken',
  prefix: '/v1',
  dependencies: { blocked: ConnectionTokens.blockedRuns },
  register(app, { blocked }) {
    app.post<{ Params: { id: string } }>(
      '/runs/:id/replay',
      {
        schema: {
          summary: 'Replay a blocked run once its flow is reconnected (owner of the flow or an admin)',
          params: idParams,
          response: { 200: replayResultSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => blocked.replay(principalOf(request), request.params.id),
    );

    app.post<{ Params: { id: string } }>(
      '/flows/:id/replay-blocked',
      {
        schema: {
          summary: 'Replay every blocked run of a flow; those that still cannot run stay blocked',
          params: idParams,
          response: {
            200: {
              type: 'object',
              required: ['replayed', 'stillBlocked'],
              properties: {
                replayed: { type: 'array', items: replayResultSchema },
                stillBlocked: { type: 'integer' },
              },
            },
            ...errorResponses(401, 403, 404),
          },
        },
      },
      async (request) => blocked.replayFlow(principalOf(request), request.params.id),
    );
  },
});
