import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { RuntimeTokens } from '../../container/runtime-tokens';
import {
  DEFAULT_HOOK_BODY_LIMIT_BYTES,
  DELIVERY_HEADER,
  HOOKS_PATH,
  SIGNATURE_HEADER,
  signatureProblem,
  webhookKeyOf,
  webhookOutput,
} from '../../flows/core-webhook';
import { FlowTokens } from '../../flows/flow-tokens';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

interface HookRequest {
  Params: { token: string };
  Querystring: Record<string, unknown>;
  Body: Buffer | undefined;
}

/**
 * Incoming webhooks of core/webhook flows (public: the unguessable URL, and the signature when the
 * flow's trigger has a signing secret, are the authentication). The raw body is kept because the
 * signature is over the bytes sent; bodies over FLOWCARD_HOOK_BODY_LIMIT_BYTES (default 1 MB) are
 * refused with 413 while reading. A good delivery starts one run (deduped by x-flowcard-delivery
 * when sent) and is answered 202 at once; the steps run in the workers. Neither the body nor the
 * signature is logged.
 */
export const hooksRoutes = defineRouteModule({
  name: 'hooks',
  description: 'Incoming webhooks of core/webhook flows: one unguessable URL per flow',
  prefix: HOOKS_PATH,
  dependencies: {
    engine: FlowTokens.engine,
    resolver: ConfigurationTokens.resolver,
    config: RuntimeTokens.config,
  },
  register(app, { engine, resolver, config }) {
    const limit = config.hookBodyLimitBytes ?? DEFAULT_HOOK_BODY_LIMIT_BYTES;
    const readLimited = (
      request: FastifyRequest,
      payload: IncomingMessage,
      done: (error: Error | null, body?: Buffer) => void,
    ): void => {
      const tooLarge = (): Error => apiError('FLOWCARD_ERR_HOOK_BODY_TOO_LARGE', { limit });
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        payload.resume();
        return done(tooLarge());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      payload.on('data', (chunk: Buffer) => {
        if (finished) return;
        size += chunk.length;
        if (size > limit) {
          finished = true;
          done(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      payload.on('end', () => {
        if (finished) return;
        finished = true;
        done(null, Buffer.concat(chunks));
      });
      payload.on('error', (error: Error) => {
        if (finished) return;
        finished = true;
        done(error);
      });
    };
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', readLimited);

    app.post<HookRequest>(
      '/:token',
      {
        config: { public: true },
        bodyLimit: limit,
        schema: {
          summary:
            "A delivery to a core/webhook flow: JSON, form or text body (signed with x-flowcard-signature when the flow's trigger has a secret); starts one run and answers 202 at once",
          params: {
            type: 'object',
            required: ['token'],
            properties: {
              token: { type: 'string', description: "The flow's webhook token (see webhookUrl)" },
            },
          },
          headers: {
            type: 'object',
            properties: {
              [SIGNATURE_HEADER]: { type: 'string', description: 'sha256=<hex HMAC-SHA256 of the raw body>' },
              [DELIVERY_HEADER]: {
                type: 'string',
                description: 'A delivery id: a redelivery starts no second run',
              },
            },
          },
          response: {
            202: {
              type: 'object',
              required: ['runId'],
              properties: {
                runId: { type: 'string' },
                duplicate: {
                  type: 'boolean',
                  description: 'True when this delivery id already started this run',
                },
              },
            },
            ...errorResponses(401, 404, 413),
          },
        },
      },
      async (request, reply) => {
        const key = webhookKeyOf(request.params.token);
        const [flow] = key ? await engine.flows.listEnabledByTriggerKey(key) : [];
        if (!flow) throw apiError('FLOWCARD_ERR_HOOK_NOT_FOUND');
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const configurationId = flow.spec.trigger.configurationId;
        if (configurationId) {
          let secret: unknown;
          try {
            secret = (await resolver.resolve(configurationId)).secrets.secret;
          } catch {
            throw apiError('FLOWCARD_ERR_HOOK_SIGNATURE_INVALID', {
              reason: "the flow's signing configuration no longer exists",
            });
          }
          if (typeof secret === 'string' && secret !== '') {
            const header = request.headers[SIGNATURE_HEADER];
            const reason = signatureProblem(raw, typeof header === 'string' ? header : undefined, secret);
            if (reason) {
              request.log.warn({ flowId: flow.id, reason, bytes: raw.length }, 'webhook delivery rejected');
              throw apiError('FLOWCARD_ERR_HOOK_SIGNATURE_INVALID', { reason });
            }
          }
        }
        const output = webhookOutput(
          raw,
          request.headers['content-type'],
          request.query,
          request.headers,
          new Date(),
        );
        const started = await engine.runner.startRun(
          flow,
          output,
          output.deliveryId ? { dedupeKey: `delivery:${output.deliveryId}` } : {},
        );
        return reply
          .status(202)
          .send({ runId: started.runId, ...(started.created ? {} : { duplicate: true }) });
      },
    );
  },
});
