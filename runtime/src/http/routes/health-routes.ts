import { RuntimeTokens } from '../../container/runtime-tokens';
import { FlowTokens } from '../../flows/flow-tokens';
import { defineRouteModule } from '../route-module';

const checkSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    embedded: { type: 'boolean', description: 'True when an embedded stand-in serves this dependency.' },
    latencyMs: { type: 'number' },
    error: { type: 'string' },
  },
} as const;

const healthSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    checks: {
      type: 'object',
      required: ['mongodb', 'redis'],
      properties: { mongodb: checkSchema, redis: checkSchema },
    },
    triggerFailures: {
      type: 'object',
      description:
        'Trigger jobs (webhook fetches, polls) that failed for good, by classified error code; each flow lists its own at GET /v1/flows/{id}/trigger-failures.',
      required: ['total', 'byCode'],
      properties: {
        total: { type: 'integer' },
        byCode: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
  },
} as const;

interface Check {
  status: 'up' | 'down';
  embedded: boolean;
  latencyMs?: number;
  error?: string;
}

/**
 * GET /health: answers 200 when MongoDB and Redis both answer a ping, 503 otherwise, with the count
 * of trigger jobs that failed for good (by error code: no item, flow or message in this public answer).
 */
export const healthRoutes = defineRouteModule({
  name: 'health',
  description: 'Liveness and dependency status',
  prefix: '',
  dependencies: {
    connection: RuntimeTokens.mongoConnection,
    redis: RuntimeTokens.redis,
    config: RuntimeTokens.config,
    engine: FlowTokens.engine,
  },
  register(app, { connection, redis, config, engine }) {
    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          summary: 'Runtime health with MongoDB and Redis status',
          response: { 200: healthSchema, 503: healthSchema },
        },
      },
      async (_request, reply) => {
        const [mongodb, redisCheck] = await Promise.all([
          probe(config.embedded.mongodb, async () => {
            const db = connection.db;
            if (!db) throw new Error('not connected');
            await db.admin().ping();
          }),
          probe(config.embedded.redis === 'started', async () => {
            await redis.ping();
          }),
        ]);
        const ok = mongodb.status === 'up' && redisCheck.status === 'up';
        const triggerFailures =
          redisCheck.status === 'up'
            ? await engine.triggerFailures.counts().catch(() => undefined)
            : undefined;
        return reply.status(ok ? 200 : 503).send({
          status: ok ? 'ok' : 'degraded',
          checks: { mongodb, redis: redisCheck },
          ...(triggerFailures ? { triggerFailures } : {}),
        });
      },
    );
  },
});

async function probe(embedded: boolean, ping: () => Promise<void>, timeoutMs = 2000): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', embedded, latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'down', embedded, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
