/**
 * What templates can name: `{{input.x}}`, `{{config.x}}` (non-secret values only), `{{event.x}}`,
 * `{{cursor.since}}`, `{{item.x}}`, `{{response.x}}`, `{{trigger.output.x}}`, `{{steps.<id>.output.x}}`.
 * Any other root is allowed too (the flow engine may add its own); a missing root renders as nothing.
 */
export interface TemplateContext {
  input?: unknown;
  config?: unknown;
  event?: unknown;
  cursor?: unknown;
  item?: unknown;
  response?: unknown;
  trigger?: unknown;
  steps?: unknown;
  [root: string]: unknown;
}
