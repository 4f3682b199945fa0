/**
 * Meta's usage headers (percent of the hourly budget; throttling starts at 100). Recorded on every
 * response so the shared rate limiter can slow down before Meta answers with errors.
 */
export interface AppUsage {
  call_count?: number;
  total_time?: number;
  total_cputime?: number;
}

export interface BusinessUseCaseUsage {
  type?: string;
  call_count?: number;
  total_time?: number;
  total_cputime?: number;
  /** Minutes until access is regained; 0 when not throttled. */
  estimated_time_to_regain_access?: number;
}

export interface UsageHeaders {
  app?: AppUsage;
  /** Keyed by the business object id (page, ad account…). */
  businessUseCase?: Record<string, BusinessUseCaseUsage[]>;
}

/** Reads X-App-Usage and X-Business-Use-Case-Usage (lower-cased header names); undefined when absent. */
export function parseUsageHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): UsageHeaders | undefined {
  const app = parseJson<AppUsage>(headers['x-app-usage']);
  const businessUseCase = parseJson<Record<string, BusinessUseCaseUsage[]>>(
    headers['x-business-use-case-usage'],
  );
  if (app === undefined && businessUseCase === undefined) return undefined;
  return { ...(app ? { app } : {}), ...(businessUseCase ? { businessUseCase } : {}) };
}

/** The longest wait any business object announces, in minutes (0 when none). */
export function regainAccessMinutes(usage: UsageHeaders | undefined): number {
  let minutes = 0;
  for (const entries of Object.values(usage?.businessUseCase ?? {})) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      const value = Number(entry?.estimated_time_to_regain_access ?? 0);
      if (Number.isFinite(value) && value > minutes) minutes = value;
    }
  }
  return minutes;
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    // A malformed usage header must never fail a call that succeeded.
    return undefined;
  }
}
