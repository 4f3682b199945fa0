import type { ConfigurationSharing } from '@flowcard/engine';
import {
  auditListSchema,
  configurationViewSchema,
  createConfigurationBodySchema,
  idParamsSchema,
  sharingSchema,
  testQuerySchema,
  testResultSchema,
  updateConfigurationBodySchema,
} from '../../configurations/configuration-schemas';
import type {
  CreateConfigurationRequest,
  UpdateConfigurationRequest,
} from '../../configurations/configuration-service';
import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { confirmQuerySchema, removalImpactSchema } from '../../connections/removal-impact-schema';
import { principalOf } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

interface IdParams {
  id: string;
}

/**
 * Saved configurations (docs/architecture.md §4): create (role check, schema validation, connection test,
 * sealing), list what I may use, get, update (rename, rotate), share, transfer, test, delete and the
 * audit trail. No route ever answers a secret value. A configuration the caller may neither use nor
 * manage answers 404, like an unknown id.
 */
export const configurationsRoutes = defineRouteModule({
  name: 'configurations',
  description:
    'Saved, nicknamed, shareable credentials + settings for a connector; secrets never leave the server',
  prefix: '/v1/configurations',
  dependencies: { service: ConfigurationTokens.service },
  register(app, { service }) {
    app.post<{ Body: CreateConfigurationRequest; Querystring: { test: boolean } }>(
      '/',
      {
        schema: {
          summary:
            'Create a configuration (runs the connection test unless ?test=false, which only admins may use)',
          querystring: testQuerySchema,
          body: createConfigurationBodySchema,
          response: { 201: configurationViewSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await service.create(principalOf(request), request.body, { test: request.query.test })),
    );

    app.get<{ Querystring: { connector?: string; scope?: 'usable' | 'workspace' } }>(
      '/',
      {
        schema: {
          summary:
            'Configurations I may use: mine, shared with me, shared with the workspace (scope=workspace: all of the workspace, admins)',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              connector: { type: 'string' },
              scope: { type: 'string', enum: ['usable', 'workspace'], default: 'usable' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['configurations'],
              properties: { configurations: { type: 'array', items: configurationViewSchema } },
            },
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => ({ configurations: await service.list(principalOf(request), request.query) }),
    );

    app.get<{ Params: IdParams }>(
      '/:id',
      {
        schema: {
          summary: 'One configuration (secret fields as { set })',
          params: idParamsSchema,
          response: { 200: configurationViewSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => service.get(principalOf(request), request.params.id),
    );

    app.patch<{ Params: IdParams; Body: UpdateConfigurationRequest; Querystring: { test: boolean } }>(
      '/:id',
      {
        schema: {
          summary: 'Rename, change settings or rotate a secret; flows see a new token at their next step',
          params: idParamsSchema,
          querystring: testQuerySchema,
          body: updateConfigurationBodySchema,
          response: { 200: configurationViewSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) =>
        service.update(principalOf(request), request.params.id, request.body, { test: request.query.test }),
    );

    app.put<{ Params: IdParams; Body: ConfigurationSharing }>(
      '/:id/sharing',
      {
        schema: {
          summary: 'Share (workspace or named users) or unshare (private); owner or admin',
          params: idParamsSchema,
          body: sharingSchema,
          response: { 200: configurationViewSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => service.setSharing(principalOf(request), request.params.id, request.body),
    );

    app.post<{ Params: IdParams; Body: { userId: string } }>(
      '/:id/transfer',
      {
        schema: {
          summary: 'Give the configuration to another workspace member; owner or admin',
          params: idParamsSchema,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['userId'],
            properties: { userId: { type: 'string', minLength: 1 } },
          },
          response: { 200: configurationViewSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => service.transfer(principalOf(request), request.params.id, request.body.userId),
    );

    app.post<{ Params: IdParams }>(
      '/:id/test',
      {
        schema: {
          summary: 'Run the connection test again',
          params: idParamsSchema,
          response: { 200: testResultSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => service.test(principalOf(request), request.params.id),
    );

    app.get<{ Params: IdParams }>(
      '/:id/impact',
      {
        schema: {
          summary: 'What deleting it would take away: the flows using it (ask before deleting)',
          params: idParamsSchema,
          response: { 200: removalImpactSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => service.deletionImpact(principalOf(request), request.params.id),
    );

    app.delete<{ Params: IdParams; Querystring: { confirm: boolean } }>(
      '/:id',
      {
        schema: {
          summary:
            'Delete (?confirm=true when flows use it or it is not yours); pauses its flows and tells their owners; for a Meta connection, also revokes the grant at Meta when no other configuration uses it',
          params: idParamsSchema,
          querystring: confirmQuerySchema,
          response: {
            204: { type: 'null', description: 'Deleted' },
            ...errorResponses(401, 403, 404, 409, 503),
          },
        },
      },
      async (request, reply) => {
        await service.delete(principalOf(request), request.params.id, { confirm: request.query.confirm });
        return reply.status(204).send();
      },
    );

    app.get<{ Params: IdParams }>(
      '/:id/audit',
      {
        schema: {
          summary: 'Who did what and when (never values)',
          params: idParamsSchema,
          response: { 200: auditListSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => ({ events: await service.auditTrail(principalOf(request), request.params.id) }),
    );
  },
});
