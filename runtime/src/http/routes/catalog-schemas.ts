/** JSON Schemas of the catalog API's answers (shown in /docs). */
const anySchema = { type: 'object', additionalProperties: true, description: 'A JSON Schema' } as const;

export const lifecycleSchema = {
  type: 'object',
  required: ['status', 'notice'],
  properties: {
    status: { type: 'string', enum: ['active', 'deprecated', 'sunset'] },
    notice: { type: 'string', description: 'One plain sentence on the state of the connector, with dates.' },
    message: { type: 'string' },
    deprecatedAt: { type: 'string' },
    readOnlyAt: { type: 'string' },
    sunsetAt: { type: 'string' },
    replacedBy: { type: 'string' },
  },
} as const;

const summaryProperties = {
  name: { type: 'string' },
  scope: {
    type: 'string',
    enum: ['deployment', 'workspace'],
    description:
      "deployment: installed for every workspace; workspace: published by this workspace's admins, seen only here",
  },
  title: { type: 'string' },
  description: { type: 'string' },
  homepage: { type: 'string' },
  version: { type: 'string' },
  major: { type: 'integer' },
  versions: {
    type: 'array',
    items: {
      type: 'object',
      properties: { version: { type: 'string' }, major: { type: 'integer' }, lifecycle: lifecycleSchema },
    },
  },
  lifecycle: lifecycleSchema,
  cardCount: { type: 'integer' },
} as const;

export const connectorListSchema = {
  type: 'object',
  required: ['connectors'],
  properties: {
    connectors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'title', 'lifecycle', 'major'],
        properties: summaryProperties,
      },
    },
  },
} as const;

export const cardSchema = {
  type: 'object',
  required: ['key', 'ref', 'kind', 'title', 'input', 'output'],
  properties: {
    key: { type: 'string' },
    ref: { type: 'string', description: '<connector>/<card>@<major>, how flows reference the card' },
    kind: { type: 'string', enum: ['action', 'trigger'] },
    triggerType: { type: 'string', enum: ['polling', 'webhook'] },
    title: { type: 'string' },
    description: { type: 'string' },
    configuration: { type: 'string', description: 'Key of the configuration kind the card uses' },
    permissions: { type: 'array', items: { type: 'string' } },
    input: anySchema,
    output: anySchema,
    listsOptions: {
      type: 'boolean',
      description: 'True for cards named by x-options: POST /v1/catalog/options runs them',
    },
    examples: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

export const connectorDetailSchema = {
  type: 'object',
  required: ['name', 'configurations', 'cards'],
  properties: {
    ...summaryProperties,
    configurations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          auth: {
            type: 'object',
            properties: {
              kind: { type: 'string' },
              provider: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string' } },
            },
          },
          requiresRole: { type: 'string', enum: ['member', 'admin', 'owner'] },
          schema: anySchema,
          secretFields: {
            type: 'array',
            items: { type: 'string' },
            description: 'Write-only fields: sealed at rest, never returned',
          },
          testCard: { type: 'string' },
        },
      },
    },
    cards: { type: 'array', items: cardSchema },
  },
} as const;

export const optionsBodySchema = {
  type: 'object',
  required: ['card', 'configurationId'],
  additionalProperties: false,
  properties: {
    card: {
      type: 'string',
      description: "Ref of the options card named by an input's x-options, e.g. facebook-leads/list-forms@1",
      examples: ['facebook-leads/list-forms@1'],
    },
    configurationId: { type: 'string', minLength: 1 },
    input: {
      type: 'object',
      additionalProperties: true,
      default: {},
      description: 'Values of the form so far (e.g. the chosen pageId)',
    },
  },
} as const;

export const optionsAnswerSchema = {
  type: 'object',
  required: ['options'],
  properties: {
    options: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'value'],
        properties: { label: { type: 'string' }, value: { type: 'string' } },
      },
    },
  },
} as const;
