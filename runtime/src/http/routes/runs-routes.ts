import { FlowTokens } from '../../flows/flow-tokens';
import {
  flowIdParamsSchema,
  rerunSchema,
  reviewAnswerSchema,
  reviewBodySchema,
  runDetailsSchema,
} from '../../flows/flow-schemas';
import { runStepView, runView } from '../../flows/flow-views';
import { principalOf } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

interface IdParams {
  id: string;
}

/** One run step by step (every attempt of every step), and re-running a failed run from its failed step. */
export const runsRoutes = defineRouteModule({
  name: 'runs',
  description: 'Runs of flows: status, and each step attempt with redacted input, output, error and duration',
  prefix: '/v1/runs',
  dependencies: { service: FlowTokens.service },
  register(app, { service }) {
    app.get<{ Params: IdParams }>(
      '/:id',
      {
        schema: {
          summary: 'A run and its step attempts, in the order they started',
          params: flowIdParamsSchema,
          response: { 200: runDetailsSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const details = await service.getRun(principalOf(request), request.params.id);
        return { run: runView(details.run), steps: details.steps.map(runStepView) };
      },
    );

    app.post<{ Params: IdParams }>(
      '/:id/rerun',
      {
        schema: {
          summary:
            'Re-run a failed run from the step that failed, keeping the outputs before it (owner or admin)',
          params: flowIdParamsSchema,
          response: { 202: rerunSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await service.rerun(principalOf(request), request.params.id)),
    );

    app.post<{ Params: IdParams; Body: { decision: 'retry' | 'skip' } }>(
      '/:id/review',
      {
        schema: {
          summary:
            'Retry or skip the step of a run held for review (needs_review: a post, message, comment or provisioning call cut short by a crash, which may or may not have reached the service) (owner or admin)',
          params: flowIdParamsSchema,
          body: reviewBodySchema,
          response: { 202: reviewAnswerSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(await service.review(principalOf(request), request.params.id, request.body.decision)),
    );
  },
});
