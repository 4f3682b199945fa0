import { FlowTokens } from '../../flows/flow-tokens';
import { RuntimeTokens } from '../../container/runtime-tokens';
import {
  flowChangeSchema,
  flowIdParamsSchema,
  flowViewSchema,
  listFlowsQuerySchema,
  listRunsQuerySchema,
  triggerFailuresSchema,
  runNowBodySchema,
  runViewSchema,
  saveFlowBodySchema,
  startedRunSchema,
} from '../../flows/flow-schemas';
import { flowView, runView } from '../../flows/flow-views';
import type { RunStatus } from '@flowcard/engine';
import { principalOf } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

interface IdParams {
  id: string;
}

/**
 * Flows (docs/architecture.md §6): create and update (validated on save), get, list, enable (subscribes the
 * trigger's page, starts the poll schedule, warns about sunset connectors), disable, delete, run
 * now with a sample trigger payload, and the runs of one flow. Members see their workspace's flows;
 * only the flow's owner or an admin changes them.
 */
export const flowsRoutes = defineRouteModule({
  name: 'flows',
  description: 'Flows: a trigger card and ordered steps, each step one BullMQ job per run',
  prefix: '/v1/flows',
  dependencies: { service: FlowTokens.service, config: RuntimeTokens.config },
  register(app, { service, config }) {
    app.post<{ Body: { spec: unknown } }>(
      '/',
      {
        schema: {
          summary: 'Create a flow (disabled; enable it to start listening)',
          body: saveFlowBodySchema,
          response: { 201: flowViewSchema, ...errorResponses(400, 401, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(flowView(await service.create(principalOf(request), request.body.spec), config.publicUrl)),
    );

    app.get<{ Querystring: { enabled?: boolean; afterId?: string; limit?: number } }>(
      '/',
      {
        schema: {
          summary: "The workspace's flows, ordered by id",
          querystring: listFlowsQuerySchema,
          response: {
            200: {
              type: 'object',
              required: ['flows'],
              properties: { flows: { type: 'array', items: flowViewSchema } },
            },
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => ({
        flows: (await service.list(principalOf(request), request.query)).map((flow) =>
          flowView(flow, config.publicUrl),
        ),
      }),
    );

    app.get<{ Params: IdParams }>(
      '/:id',
      {
        schema: {
          summary: 'One flow',
          params: flowIdParamsSchema,
          response: { 200: flowViewSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) =>
        flowView(await service.get(principalOf(request), request.params.id), config.publicUrl),
    );

    app.put<{ Params: IdParams; Body: { spec: unknown; expectedVersion?: number } }>(
      '/:id',
      {
        schema: {
          summary: 'Replace the spec (owner or admin); running runs keep the spec they started with',
          params: flowIdParamsSchema,
          body: saveFlowBodySchema,
          response: { 200: flowChangeSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const change = await service.update(
          principalOf(request),
          request.params.id,
          request.body.spec,
          request.body.expectedVersion,
        );
        return { flow: flowView(change.flow, config.publicUrl), warnings: change.warnings };
      },
    );

    app.post<{ Params: IdParams }>(
      '/:id/enable',
      {
        schema: {
          summary:
            "Enable: subscribe the trigger's page and schedule its poll; warns when a connector is deprecated or sunset; 422 when a card's connector major is no longer loaded",
          params: flowIdParamsSchema,
          response: { 200: flowChangeSchema, ...errorResponses(401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const change = await service.enable(principalOf(request), request.params.id);
        return { flow: flowView(change.flow, config.publicUrl), warnings: change.warnings };
      },
    );

    app.post<{ Params: IdParams }>(
      '/:id/disable',
      {
        schema: {
          summary: 'Disable: stop polling; unsubscribe the page when no other enabled flow listens there',
          params: flowIdParamsSchema,
          response: { 200: flowChangeSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const change = await service.disable(principalOf(request), request.params.id);
        return { flow: flowView(change.flow, config.publicUrl), warnings: change.warnings };
      },
    );

    app.delete<{ Params: IdParams }>(
      '/:id',
      {
        schema: {
          summary: 'Delete (owner or admin); its runs stay readable',
          params: flowIdParamsSchema,
          response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.delete(principalOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.post<{ Params: IdParams; Body: { triggerOutput?: unknown; input?: Record<string, unknown> } | null }>(
      '/:id/run',
      {
        schema: {
          summary:
            "Run now with a sample trigger payload (the body's triggerOutput, else the trigger card's example)",
          params: flowIdParamsSchema,
          body: runNowBodySchema,
          response: { 202: startedRunSchema, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await service.runNow(
              principalOf(request),
              request.params.id,
              request.body?.triggerOutput,
              request.body?.input,
            ),
          ),
    );

    app.post<{ Params: IdParams }>(
      '/:id/webhook/rotate',
      {
        schema: {
          summary: 'A new webhook URL for a core/webhook flow; the old one answers 404 from now on',
          params: flowIdParamsSchema,
          response: { 200: flowViewSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) =>
        flowView(await service.rotateWebhook(principalOf(request), request.params.id), config.publicUrl),
    );

    app.get<{ Params: IdParams; Querystring: { status?: RunStatus; before?: string; limit?: number } }>(
      '/:id/runs',
      {
        schema: {
          summary: 'Runs of the flow, newest first (live ones included the moment they start)',
          params: flowIdParamsSchema,
          querystring: listRunsQuerySchema,
          response: {
            200: {
              type: 'object',
              required: ['runs'],
              properties: { runs: { type: 'array', items: runViewSchema } },
            },
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request) => ({
        runs: (await service.listRuns(principalOf(request), request.params.id, request.query)).map(runView),
      }),
    );

    app.get<{ Params: IdParams }>(
      '/:id/trigger-failures',
      {
        schema: {
          summary:
            "The flow's trigger jobs that failed for good (webhook fetches, polls), newest first, with the item and the classified error",
          params: flowIdParamsSchema,
          response: { 200: triggerFailuresSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => ({
        failures: await service.listTriggerFailures(principalOf(request), request.params.id),
      }),
    );
  },
});
