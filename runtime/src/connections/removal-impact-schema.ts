/** JSON Schema of RemovalImpact (GET …/impact answers). */
export const removalImpactSchema = {
  type: 'object',
  description:
    "What a removal takes away, other people's first. When confirmationRequired, the removal needs ?confirm=true.",
  required: ['configurations', 'flows', 'confirmationRequired'],
  properties: {
    configurations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'nickname', 'connector', 'ownerId', 'yours'],
        properties: {
          id: { type: 'string' },
          nickname: { type: 'string' },
          connector: { type: 'string' },
          ownerId: { type: 'string' },
          ownerEmail: { type: ['string', 'null'] },
          sharing: { type: 'string' },
          pageId: { type: ['string', 'null'] },
          yours: { type: 'boolean' },
        },
      },
    },
    flows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'ownerId', 'enabled', 'configurationIds', 'yours'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          ownerId: { type: 'string' },
          ownerEmail: { type: ['string', 'null'] },
          enabled: { type: 'boolean' },
          configurationIds: { type: 'array', items: { type: 'string' } },
          yours: { type: 'boolean' },
        },
      },
    },
    confirmationRequired: { type: 'boolean' },
  },
} as const;

/** `?confirm=true` of the removing routes. */
export const confirmQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    confirm: {
      type: 'boolean',
      default: false,
      description: "Needed when the removal reaches flows or other people's configurations (see …/impact).",
    },
  },
} as const;
