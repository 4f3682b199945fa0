import { answerMetaHandshake } from '@flowcard/engine';
import { FlowTokens } from '../../flows/flow-tokens';
import { META_WEBHOOK_PATH } from '../../flows/meta-app-subscription';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { requireRole } from '../auth/install-authentication';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

/**
 * The Meta webhook endpoint (public: Meta authenticates by signature, not by API key).
 * - GET: the subscription handshake, answered with `hub.challenge` when `hub.verify_token` is this
 *   deployment's META_WEBHOOK_VERIFY_TOKEN (constant-time compare).
 * - POST: the raw body is kept (a content-type parser of this scope only) because the signature is
 *   over the bytes Meta sent; `X-Hub-Signature-256` is checked with the deployment's app secret;
 *   forged or unsigned deliveries answer 403 and are logged with the reason, never the body. A good
 *   delivery is only enqueued (one trigger job per change) and answered at once: fetching the lead
 *   and starting runs happen in the trigger worker.
 */
export const webhooksRoutes = defineRouteModule({
  name: 'webhooks',
  description: 'Meta webhooks (leadgen): handshake and signed deliveries',
  prefix: META_WEBHOOK_PATH,
  dependencies: {
    engine: FlowTokens.engine,
    subscription: FlowTokens.metaAppSubscription,
    config: RuntimeTokens.config,
    logger: RuntimeTokens.logger,
  },
  register(app, { engine, subscription, config, logger }) {
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

    if (subscription.applies) {
      app.addHook('onListen', async () => {
        await subscription
          .ensure()
          .catch((error: unknown) =>
            logger.warn(
              { err: error },
              'webhook callback not registered with the emulator yet; it is tried again when a flow is enabled',
            ),
          );
      });
    }

    app.get<{ Querystring: Record<string, string> }>(
      '/',
      {
        config: { public: true },
        schema: {
          summary: "Meta's subscription handshake: answers hub.challenge when hub.verify_token matches",
          querystring: {
            type: 'object',
            properties: {
              'hub.mode': { type: 'string' },
              'hub.verify_token': { type: 'string' },
              'hub.challenge': { type: 'string' },
            },
          },
          response: {
            200: { type: 'string', description: 'The challenge, as plain text' },
            ...errorResponses(403),
          },
        },
      },
      async (request, reply) => {
        const answer = answerMetaHandshake(request.query, config.metaWebhookVerifyToken);
        if (answer.status !== 200) {
          request.log.warn({ reason: answer.body }, 'Meta webhook handshake refused');
          throw apiError('FLOWCARD_ERR_WEBHOOK_HANDSHAKE_REFUSED', { reason: answer.body });
        }
        return reply.type('text/plain').send(answer.body);
      },
    );

    app.get(
      '/emulator',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary:
            'Embedded mode only: where the bundled Meta emulator runs (for `flowcard demo`); 404 with a real Meta app',
          response: {
            200: {
              type: 'object',
              required: ['graphUrl', 'controlUrl', 'appId'],
              properties: {
                graphUrl: { type: 'string' },
                controlUrl: { type: 'string' },
                appId: { type: 'string' },
              },
            },
            ...errorResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        if (config.meta.source !== 'emulator') {
          throw apiError('FLOWCARD_ERR_ROUTE_NOT_FOUND', { method: request.method, url: request.url });
        }
        return {
          graphUrl: config.meta.graphUrl,
          controlUrl: `${config.meta.graphUrl}/__control`,
          appId: config.meta.appId,
        };
      },
    );

    app.post<{ Body: Buffer }>(
      '/',
      {
        config: { public: true },
        schema: {
          summary: 'A signed delivery (X-Hub-Signature-256 over the raw body); enqueued, answered at once',
          headers: { type: 'object', properties: { 'x-hub-signature-256': { type: 'string' } } },
          response: {
            200: {
              type: 'object',
              required: ['received'],
              properties: { received: { type: 'integer', description: 'Changes enqueued' } },
            },
            ...errorResponses(403),
          },
        },
      },
      async (request) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-hub-signature-256'];
        const result = await engine.router.ingest(raw, typeof signature === 'string' ? signature : undefined);
        if (result.status === 403) {
          request.log.warn({ reason: result.reason, bytes: raw.length }, 'Meta webhook delivery rejected');
          throw apiError('FLOWCARD_ERR_WEBHOOK_SIGNATURE_INVALID', { reason: result.reason });
        }
        return { received: result.changes };
      },
    );
  },
});
