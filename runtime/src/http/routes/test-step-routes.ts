import { renderDeep, type LoadedCard } from '@flowcard/engine';
import { isCardError } from '@flowcard/sdk';
import { mayUseConfiguration } from '../../configurations/configuration-access';
import { Ports } from '../../container/port-tokens';
import { principalOf } from '../auth/install-authentication';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

/** How far back Load sample looks for a real item (a trigger's poll from that time). */
const SAMPLE_WINDOW_SECONDS = 30 * 24 * 3600;

interface TestStepBody {
  card: string;
  configurationId: string;
  input?: Record<string, unknown>;
  data?: { trigger?: { output?: unknown }; steps?: Record<string, { output?: unknown }> };
}

export const testStepBodySchema = {
  type: 'object',
  required: ['card', 'configurationId'],
  additionalProperties: false,
  properties: {
    card: { type: 'string', minLength: 1, description: '<connector>/<card>@<major>' },
    configurationId: { type: 'string', minLength: 1 },
    input: {
      type: 'object',
      description: "The step's input as the editor holds it: literals and {{templates}}.",
    },
    data: {
      type: 'object',
      additionalProperties: false,
      description:
        'Sample data the templates read: the trigger output (e.g. from Load sample) and outputs of earlier tested steps.',
      properties: {
        trigger: { type: 'object', properties: { output: {} } },
        steps: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { output: {} } },
        },
      },
    },
  },
} as const;

export const testStepAnswerSchema = {
  type: 'object',
  required: ['ok', 'card', 'durationMs'],
  properties: {
    ok: { type: 'boolean', description: 'Whether the card succeeded' },
    card: { type: 'string' },
    durationMs: { type: 'number' },
    source: {
      type: 'string',
      enum: ['run', 'recent', 'example'],
      description:
        "Where the output came from: the card ran (action), a recent real item (trigger), or the card's example (a trigger without recent items)",
    },
    input: { description: 'The rendered input the card ran with (action)' },
    output: { description: 'The output, when ok' },
    error: {
      type: 'object',
      required: ['code', 'message', 'signal'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        signal: { type: 'string' },
        permission: { type: 'string' },
      },
      description: 'The classified card error, when not ok',
    },
  },
} as const;

/**
 * POST /v1/flows/test-step: the editor's "Test step" and "Load sample". Runs one card once with the
 * current input (templates rendered over the sample data sent along) and a configuration the caller
 * may use. Writes no run history and starts nothing. An action card answers its output or its
 * classified error (200 with `ok: false`: the test itself worked). A trigger card answers the newest
 * real item of the last 30 days a poll finds now, else the card's first example.
 */
export const testStepRoutes = defineRouteModule({
  name: 'test-step',
  description: 'Run one card once for the flow editor (no run history)',
  prefix: '/v1/flows',
  dependencies: { registry: Ports.connectors, executor: Ports.cardExecutor, sealer: Ports.secretSealer },
  optional: { configurations: Ports.configurations },
  register(app, { registry, executor, sealer, configurations }) {
    app.post<{ Body: TestStepBody }>(
      '/test-step',
      {
        schema: {
          summary: 'Test one card with the current input and configuration (writes no run history)',
          body: testStepBodySchema,
          response: { 200: testStepAnswerSchema, ...errorResponses(400, 401, 404, 503) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const card = registry.requireCard(request.body.card);
        if (!configurations)
          throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'Saved configurations' });
        const configuration = await configurations.findById(request.body.configurationId);
        if (!configuration || !mayUseConfiguration(configuration, principal) || !fits(configuration, card))
          throw apiError('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND', { id: request.body.configurationId });
        const resolved = {
          id: configuration.id,
          values: configuration.values,
          secrets: configuration.secrets ? sealer.open(configuration.secrets) : {},
        };
        const data = request.body.data ?? {};
        const input = renderDeep(request.body.input ?? {}, {
          trigger: data.trigger ?? {},
          steps: data.steps ?? {},
        }) as Record<string, unknown>;
        const started = Date.now();
        const ref = card.ref;
        try {
          if (card.spec.kind === 'trigger') {
            const example = card.spec.examples?.[0]?.output;
            let items: Array<{ output: unknown; time?: number }> = [];
            if (card.spec.trigger?.polling)
              items = (
                await executor.pollTrigger(card, resolved, input, {
                  since: Math.floor(Date.now() / 1000) - SAMPLE_WINDOW_SECONDS,
                })
              ).items;
            const newest = items[items.length - 1];
            return {
              ok: true,
              card: ref,
              durationMs: Date.now() - started,
              source: newest ? 'recent' : 'example',
              output: newest ? newest.output : (example ?? null),
            };
          }
          const result = await executor.execute({ card, configuration: resolved, input });
          return {
            ok: true,
            card: ref,
            durationMs: Date.now() - started,
            source: 'run',
            input,
            output: result.output,
          };
        } catch (error) {
          if (!isCardError(error)) throw error;
          return {
            ok: false,
            card: ref,
            durationMs: Date.now() - started,
            input,
            error: {
              code: error.code,
              message: error.message,
              signal: error.signal,
              ...(error.permission ? { permission: error.permission } : {}),
            },
          };
        }
      },
    );
  },
});

function fits(configuration: { connector: string; kind: string }, card: LoadedCard): boolean {
  return (
    configuration.connector === card.connector.manifest.name && configuration.kind === card.configurationKey
  );
}
