/** JSON Schemas of the flows, runs and webhooks routes (request and response). */
import type { RunStatus } from '@flowcard/engine';

const anyValue = { description: 'Any JSON value.' } as const;
const isoDate = { type: 'string', format: 'date-time' } as const;

export const flowIdParamsSchema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1 } },
} as const;

const specSchema = {
  type: 'object',
  additionalProperties: true,
  description:
    'A FlowSpec (schemas/flow.schema.json): name, trigger { card, configurationId, input }, steps [{ id, card, configurationId, input, condition? }]. Checked with validateFlow; problems answer 422 FLOWCARD_ERR_FLOW_INVALID with one detail per problem.',
} as const;

export const saveFlowBodySchema = {
  type: 'object',
  required: ['spec'],
  additionalProperties: false,
  properties: {
    spec: specSchema,
    expectedVersion: {
      type: 'integer',
      minimum: 1,
      description: 'Refuse the update (409) when the flow changed since.',
    },
  },
} as const;

const runErrorSchema = {
  type: ['object', 'null'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    signal: { type: ['string', 'null'] },
    permission: { type: 'string' },
    stepId: { type: 'string' },
  },
} as const;

export const flowViewSchema = {
  type: 'object',
  required: [
    'id',
    'workspaceId',
    'ownerId',
    'name',
    'enabled',
    'triggerKey',
    'version',
    'spec',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    workspaceId: { type: 'string' },
    ownerId: { type: 'string' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    triggerKey: {
      type: ['string', 'null'],
      description: 'Where the webhook trigger listens, e.g. meta:page:leadgen:<pageId>.',
    },
    webhookUrl: {
      type: 'string',
      description:
        'For a core/webhook trigger: the URL deliveries are POSTed to (unguessable; POST /v1/flows/:id/webhook/rotate replaces it).',
    },
    version: { type: 'integer' },
    spec: specSchema,
    paused: {
      type: ['object', 'null'],
      description:
        'Set while a configuration the flow uses is removed: new items wait as blocked runs (replay them once reconnected).',
      properties: {
        code: { type: 'string' },
        reason: { type: 'string' },
        at: isoDate,
        configurationIds: { type: 'array', items: { type: 'string' } },
      },
    },
    createdAt: isoDate,
    updatedAt: isoDate,
    schedule: {
      type: 'object',
      description: 'For a core/schedule trigger: its cron, time zone and next three fire times.',
      required: ['cron', 'timezone', 'nextFireTimes'],
      properties: {
        cron: { type: 'string' },
        timezone: { type: 'string' },
        nextFireTimes: { type: 'array', items: isoDate },
      },
    },
  },
} as const;

const warningsSchema = {
  type: 'array',
  description: 'Deprecated or sunset connectors the flow uses, with their lifecycle message.',
  items: {
    type: 'object',
    required: ['connector', 'status', 'message'],
    properties: { connector: { type: 'string' }, status: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

export const flowChangeSchema = {
  type: 'object',
  required: ['flow', 'warnings'],
  properties: { flow: flowViewSchema, warnings: warningsSchema },
} as const;

export const listFlowsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    afterId: { type: 'string', description: 'Page after this id (flows are ordered by id).' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const runNowBodySchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    triggerOutput: {
      ...anyValue,
      description:
        "What {{trigger.output.…}} reads in this run; default: the trigger card's first example output.",
    },
    input: {
      type: 'object',
      description:
        "For a flow whose trigger is core/manual: the Run now form's values, checked against the trigger's inputSchema; they become the trigger output.",
    },
  },
} as const;

export const startedRunSchema = {
  type: 'object',
  required: ['runId', 'flowId', 'warnings'],
  properties: { runId: { type: 'string' }, flowId: { type: 'string' }, warnings: warningsSchema },
} as const;

/** Every run status (the engine's RunStatus), for run views and the runs filter. */
const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'waiting_for_reauth',
  'filtered',
  'blocked',
  'replayed',
  'needs_review',
] as const satisfies readonly RunStatus[];

export const runViewSchema = {
  type: 'object',
  required: [
    'id',
    'flowId',
    'flowVersion',
    'status',
    'dedupeKey',
    'currentStepId',
    'error',
    'createdAt',
    'updatedAt',
    'finishedAt',
  ],
  properties: {
    id: { type: 'string' },
    flowId: { type: 'string' },
    flowVersion: { type: 'integer' },
    status: {
      type: 'string',
      enum: RUN_STATUSES,
    },
    dedupeKey: {
      type: ['string', 'null'],
      description: 'The trigger item (e.g. the lead id) that started the run.',
    },
    currentStepId: { type: ['string', 'null'] },
    triggerOutput: anyValue,
    error: runErrorSchema,
    createdAt: isoDate,
    updatedAt: isoDate,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    durationMs: { type: ['integer', 'null'] },
  },
} as const;

export const runStepViewSchema = {
  type: 'object',
  required: ['id', 'stepId', 'attempt', 'status', 'error', 'durationMs', 'startedAt'],
  properties: {
    id: { type: 'string' },
    stepId: { type: 'string' },
    attempt: { type: 'integer' },
    status: {
      type: 'string',
      enum: ['succeeded', 'failed', 'retrying', 'delayed', 'parked', 'skipped', 'needs_review'],
    },
    input: { ...anyValue, description: 'The rendered input, secrets redacted.' },
    output: anyValue,
    error: runErrorSchema,
    durationMs: { type: 'integer' },
    startedAt: isoDate,
  },
} as const;

export const runDetailsSchema = {
  type: 'object',
  required: ['run', 'steps'],
  properties: { run: runViewSchema, steps: { type: 'array', items: runStepViewSchema } },
} as const;

export const listRunsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: {
      type: 'string',
      enum: RUN_STATUSES,
    },
    before: {
      type: 'string',
      format: 'date-time',
      description: 'Only runs created before this time (paging, newest first).',
    },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  },
} as const;

export const rerunSchema = {
  type: 'object',
  required: ['runId', 'stepId'],
  properties: {
    runId: { type: 'string' },
    stepId: { type: ['string', 'null'], description: 'The step it starts again from.' },
  },
} as const;

export const reviewBodySchema = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: {
    decision: {
      type: 'string',
      enum: ['retry', 'skip'],
      description:
        'retry: call the service again (it may get the call twice); skip: record the step as skipped, with no output, and go on',
    },
  },
} as const;

export const reviewAnswerSchema = {
  type: 'object',
  required: ['runId', 'stepId', 'decision'],
  properties: {
    runId: { type: 'string' },
    stepId: { type: 'string', description: 'The step that was held.' },
    decision: { type: 'string', enum: ['retry', 'skip'] },
  },
} as const;

export const triggerFailuresSchema = {
  type: 'object',
  required: ['failures'],
  properties: {
    failures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'flowId', 'itemKey', 'job', 'code', 'message', 'signal', 'attempts'],
        properties: {
          at: isoDate,
          flowId: { type: 'string' },
          itemKey: {
            type: ['string', 'null'],
            description: 'The trigger item (e.g. the lead id) when known.',
          },
          job: { type: 'string', enum: ['webhook', 'poll'] },
          code: { type: 'string', description: 'Classified error code (see the error tables).' },
          message: { type: 'string' },
          signal: {
            type: ['string', 'null'],
            description: 'retry, rate_limited, auth, permission or invalid.',
          },
          attempts: { type: 'integer' },
        },
      },
    },
  },
} as const;
