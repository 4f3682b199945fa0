/** JSON Schema of every error answer: `{ error: { code, message, details? } }`. */
export const errorBodySchema = {
  $id: 'ErrorBody',
  type: 'object',
  description: 'Every error answer has this shape; `code` is a stable FLOWCARD_ERR_* code.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['FLOWCARD_ERR_REQUEST_INVALID'] },
        message: { type: 'string' },
        details: {
          description:
            'For validation errors: one entry per problem, saying where (body, query, params, headers) and which JSON path. Some errors carry an object instead (e.g. FLOWCARD_ERR_MEMBER_OWNS_ITEMS: what the member owns).',
          anyOf: [
            {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  where: { type: 'string' },
                  path: { type: 'string' },
                  message: { type: 'string' },
                },
                additionalProperties: true,
              },
            },
            { type: 'object', additionalProperties: true },
          ],
        },
      },
    },
  },
} as const;

/** Response entries to spread into a route's `response` schema for the errors it can answer. */
export function errorResponses(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: 'ErrorBody#' }]));
}
