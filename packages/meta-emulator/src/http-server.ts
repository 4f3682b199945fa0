import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { CONTROL_PREFIX, registerControlRoutes } from './control/control-routes';
import type { EmulatorControl } from './control/emulator-control';
import type { EmulatorCore } from './emulator-core';
import { graphErrors } from './graph-errors';
import { graphEndpoint } from './graph/graph-endpoint';
import { runDialog } from './oauth/oauth-dialog';
import { ScimError } from './scim/scim-error';
import { registerScimRoutes, SCIM_PREFIX } from './scim/scim-routes';

/** Accepts an empty body as `{}`: clients often send `Content-Type: application/json` on bodiless POSTs. */
function parseJson(
  _req: FastifyRequest,
  body: string,
  done: (err: Error | null, value?: unknown) => void,
): void {
  if (body.trim() === '') return done(null, {});
  try {
    done(null, JSON.parse(body));
  } catch {
    const error = new Error('The request body is not valid JSON') as Error & { statusCode: number };
    error.statusCode = 400;
    done(error);
  }
}

/** Builds the Fastify app: control API, SCIM, the OAuth dialog, and Graph as the catch-all. */
export async function buildHttpServer(
  core: EmulatorCore,
  control: EmulatorControl,
  reset: () => void,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024, routerOptions: { maxParamLength: 500 } });
  await app.register(formbody);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'string' }, parseJson);
  // Anything else (multipart, text) is accepted and ignored rather than refused with 415.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : String(error);
    if (req.url.startsWith(SCIM_PREFIX)) {
      const scim = new ScimError(status, message, status === 400 ? 'invalidSyntax' : undefined);
      return reply
        .code(status)
        .header('content-type', 'application/scim+json; charset=utf-8')
        .send(JSON.stringify(scim.toBody()));
    }
    if (req.url.startsWith(CONTROL_PREFIX)) return reply.code(status).send({ error: message });
    const graph = graphErrors.invalidParameter(message);
    return reply
      .code(400)
      .header('content-type', 'application/json; charset=UTF-8')
      .send(JSON.stringify(graph.toEnvelope()));
  });

  registerControlRoutes(app, core, control, reset);
  registerScimRoutes(app, core);

  const dialog = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const result = runDialog(req.query as Record<string, string | undefined>, core);
    if (result.status === 302) return reply.redirect(result.location, 302);
    return reply.code(400).header('content-type', 'text/html; charset=utf-8').send(result.html);
  };
  app.get('/dialog/oauth', dialog);
  app.get('/:version/dialog/oauth', dialog);

  app.all('/*', graphEndpoint(core));
  app.all('/', graphEndpoint(core));
  return app;
}
