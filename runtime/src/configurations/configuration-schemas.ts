/** JSON Schemas of the configurations API (request and response bodies). */

const dateOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

export const sharingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['mode'],
  description:
    'Who may use the configuration in flows (never read its secrets): nobody else, the whole workspace, or named users.',
  properties: {
    mode: { type: 'string', enum: ['private', 'workspace', 'users'] },
    userIds: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description: 'Workspace members, when mode is "users".',
    },
  },
  examples: [{ mode: 'users', userIds: ['u_123'] }],
} as const;

export const configurationViewSchema = {
  type: 'object',
  description: 'A saved configuration. Secret fields appear in `values` only as `{ "set": true|false }`.',
  required: ['id', 'connector', 'kind', 'nickname', 'ownerId', 'sharing', 'values', 'status', 'version'],
  properties: {
    id: { type: 'string' },
    connector: { type: 'string' },
    kind: { type: 'string' },
    nickname: { type: 'string' },
    ownerId: { type: 'string' },
    sharing: {
      type: 'object',
      properties: { mode: { type: 'string' }, userIds: { type: 'array', items: { type: 'string' } } },
    },
    values: {
      type: 'object',
      description: 'Plain fields as entered; secret fields as { set }.',
      additionalProperties: {
        anyOf: [
          {
            type: 'object',
            required: ['set'],
            properties: { set: { type: 'boolean' } },
            additionalProperties: false,
          },
          { type: ['string', 'number', 'boolean', 'null'] },
        ],
      },
    },
    status: { type: 'string', enum: ['active', 'expiring', 'expired', 'needs_reauth', 'revoked'] },
    expiresAt: dateOrNull,
    dataAccessExpiresAt: dateOrNull,
    grantedScopes: { type: 'array', items: { type: 'string' } },
    consentAt: dateOrNull,
    authorizedBy: { type: ['string', 'null'] },
    externalIds: { type: 'object', additionalProperties: { type: 'string' } },
    lastUsedAt: dateOrNull,
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    subscription: {
      type: ['object', 'null'],
      description:
        "The last check that Meta still sends this configuration's webhooks (the Page's subscribed_apps); null when no enabled flow listens through it.",
      properties: {
        status: { type: 'string', enum: ['subscribed', 'resubscribed', 'failing'] },
        field: { type: 'string', examples: ['leadgen'] },
        checkedAt: { type: 'string', format: 'date-time' },
        detail: { type: ['string', 'null'] },
        failingSince: dateOrNull,
      },
    },
  },
} as const;

export const createConfigurationBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['connector', 'nickname', 'values'],
  properties: {
    connector: { type: 'string', minLength: 1, examples: ['workplace'] },
    kind: {
      type: 'string',
      minLength: 1,
      description: 'Configuration kind of the connector; default its "default" (or only) kind.',
    },
    nickname: { type: 'string', minLength: 1, maxLength: 120 },
    values: {
      type: 'object',
      description: "Plain and secret fields, as the kind's schema names them.",
      additionalProperties: true,
    },
    sharing: sharingSchema,
  },
  examples: [
    {
      connector: 'workplace',
      nickname: 'Acme Workplace',
      values: { accessToken: '…', graphBaseUrl: 'https://graph.workplace.com' },
    },
  ],
} as const;

export const updateConfigurationBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    nickname: { type: 'string', minLength: 1, maxLength: 120 },
    values: {
      type: 'object',
      description: 'Fields to change; a secret field here rotates it; null clears an optional field.',
      additionalProperties: true,
    },
    expectedVersion: {
      type: 'integer',
      minimum: 1,
      description: 'Refuse (409) if the configuration changed since this version.',
    },
  },
} as const;

export const testQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    test: {
      type: 'boolean',
      default: true,
      description: 'Run the connection test before saving (default). Only admins may skip it.',
    },
  },
} as const;

export const testResultSchema = {
  type: 'object',
  required: ['ok', 'card'],
  properties: {
    ok: { type: 'boolean' },
    card: { type: ['string', 'null'], description: 'The test card that ran (null: the kind has none).' },
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, signal: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const auditListSchema = {
  type: 'object',
  required: ['events'],
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'action', 'actorId', 'at'],
        properties: {
          id: { type: 'string' },
          action: { type: 'string', examples: ['configuration.rotated'] },
          actorId: { type: 'string', description: 'User id, or "system" (scheduler).' },
          at: { type: 'string', format: 'date-time' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1 } },
} as const;
