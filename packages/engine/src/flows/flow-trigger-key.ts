import type { FlowSpec } from '@flowcard/schemas';
import type { LoadedCard } from '../registry/loaded-connector';
import { renderTemplate } from '../templates/render-template';

/**
 * Where a flow's webhook trigger listens: `<provider>:<object>:<field>:<route>` with the route
 * rendered from the trigger input (`meta:page:leadgen:101` for new-lead on page 101). Incoming
 * changes compute the same key from the event, so routing is one indexed look-up. Null for cards
 * without a webhook route.
 */
export function flowTriggerKey(spec: FlowSpec, triggerCard: LoadedCard | undefined): string | null {
  const webhook = triggerCard?.spec.trigger?.webhook;
  if (!webhook?.routeInput) return null;
  const route = renderTemplate(webhook.routeInput, { input: spec.trigger.input ?? {} });
  if (route === undefined || route === null || route === '') return null;
  return webhookRouteKey(webhook.provider, webhook.object, webhook.field, String(route));
}

export function webhookRouteKey(provider: string, object: string, field: string, route: string): string {
  return `${provider}:${object}:${field}:${route}`;
}
