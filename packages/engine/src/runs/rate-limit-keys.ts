import type { LoadedCard } from '../registry/loaded-connector';
import type { RateLimitKeys } from '../rate-limit/meta-rate-limiter';
import type { StepConfiguration } from './step-configuration-source';

/** Chooses the rate-limit budgets a step call spends. */
export type RateLimitKeyResolver = (
  card: LoadedCard,
  configuration: StepConfiguration,
  input: Readonly<Record<string, unknown>>,
) => RateLimitKeys;

const OBJECT_INPUTS = ['pageId', 'groupId', 'formId'] as const;

/**
 * Default budgets: the app is the Meta app the configuration records (`metaAppId`: Connect Meta),
 * else its `appId` / `clientId` value (Meta login configurations) or, for tokens without an app
 * (a pasted Workplace integration token is its own app), the configuration itself; the object is the page / group / form the input
 * names (the first of pageId, groupId, formId), else the configuration's `pageId`.
 */
export const defaultRateLimitKeys: RateLimitKeyResolver = (_card, configuration, input) => {
  const appValue = configuration.metaAppId ?? configuration.values.appId ?? configuration.values.clientId;
  const app =
    typeof appValue === 'string' || typeof appValue === 'number' ? String(appValue) : configuration.id;
  for (const name of OBJECT_INPUTS) {
    const value = input[name];
    if (typeof value === 'string' || typeof value === 'number') return { app, objects: [String(value)] };
  }
  const pageId = configuration.values.pageId;
  return typeof pageId === 'string' || typeof pageId === 'number'
    ? { app, objects: [String(pageId)] }
    : { app };
};
