import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { getIfBound, resolveDependencies } from '../container/build-container';
import { RuntimeTokens } from '../container/runtime-tokens';
import { HttpTokens } from './http-tokens';
import { installAuthentication } from './auth/install-authentication';
import { errorBodySchema } from './errors/error-body-schema';
import { frameworkErrorHandler, installErrorHandler } from './errors/error-handler';
import type { RouteModule } from './route-module';

/**
 * Builds the Fastify app: OpenAPI at /docs (JSON at /docs/json), one error shape, API-key or session
 * auth on every non-public route, then every route module of the list, each under its prefix and tag.
 */
export async function buildHttpServer(options: {
  container: Container;
  logger: Logger;
  modules: readonly RouteModule[];
}): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino's extra generics.
    loggerInstance: options.logger as FastifyBaseLogger,
    ajv: {
      // Reject unknown properties instead of silently dropping them: a typo must be an error.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    // Errors found before any route runs (a path part too long, a malformed URL): our body too.
    frameworkErrors: frameworkErrorHandler,
  });
  app.addSchema(errorBodySchema);
  installErrorHandler(app);
  // Before authentication: its onRequest hook fills request.cookies, which the session check reads.
  await app.register(cookie);
  installAuthentication(
    app,
    getIfBound(options.container, HttpTokens.apiKeyAuthenticator),
    getIfBound(options.container, HttpTokens.sessionAuthenticator),
    { secure: getIfBound(options.container, RuntimeTokens.config)?.publicUrl.startsWith('https:') ?? false },
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Flowcard API',
        description:
          'Connectors, configurations, flows and runs. Authenticate with an API key (`Authorization: Bearer fc_…` or `x-api-key: fc_…`) or, in a browser, with the `flowcard_session` cookie from sign-in plus the `x-csrf-token` header on POST/PUT/PATCH/DELETE.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key as a bearer token (fc_…)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'flowcard_session',
            description: 'Studio sign-in session; unsafe methods also need the x-csrf-token header',
          },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }, { session: [] }],
      tags: options.modules.map((module) => ({ name: module.name, description: module.description })),
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const module of options.modules) {
    const dependencies = resolveDependencies(options.container, module.dependencies, module.optional);
    await app.register(
      async (scope) => {
        // Tag every route of the module so the docs group them without each route repeating it.
        scope.addHook('onRoute', (route) => {
          route.schema = { ...route.schema, tags: route.schema?.tags ?? [module.name] };
          if (route.config?.public) route.schema = { ...route.schema, security: [] };
        });
        await module.register(scope, dependencies);
      },
      { prefix: module.prefix },
    );
  }
  return app;
}
