import type { CardLogger, Clock, JsonValue } from '@flowcard/sdk';
import type { UsageHeaders } from '../http/usage-headers';
import type { LoadedCard } from '../registry/loaded-connector';

/**
 * A configuration as the executor sees it: non-secret values and decrypted secrets, split so that
 * only the HTTP layer ever touches the secrets.
 */
export interface ResolvedConfiguration {
  /** Configuration id, when it is a saved one (used for caches and rate limits). */
  id?: string;
  /** The workspace the configuration belongs to, when known: sandboxed handler code never shares a process across workspaces. */
  readonly workspaceId?: string;
  values: Readonly<Record<string, unknown>>;
  secrets: Readonly<Record<string, string>>;
}

export interface ExecuteCardRequest {
  card: LoadedCard;
  configuration: ResolvedConfiguration;
  input: Record<string, unknown>;
  logger?: CardLogger;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface ExecuteCardResult {
  output: JsonValue;
  /** Number of HTTP calls made (paging counts each page; cached page-token look-ups do not). */
  calls: number;
  /** Meta usage headers of the last response, for the shared rate limiter. */
  usage?: UsageHeaders;
}

/** A trigger item ready to start a run: its dedupe key, its output, and its time when known. */
export interface TriggerItem {
  key: string;
  output: JsonValue;
  /** Unix seconds, from the card's cursor template. */
  time?: number;
}

/** What the trigger stores between polls; `since` (unix seconds) is offered as {{cursor.since}}. */
export interface TriggerCursor {
  since?: number;
  [key: string]: unknown;
}

export interface PollTriggerResult {
  /** Items newer than the cursor (or equal: dedupe keys settle those), oldest first. */
  items: TriggerItem[];
  cursor: TriggerCursor;
  calls: number;
  usage?: UsageHeaders;
}

export type TriggerRequestKind = 'subscribe' | 'unsubscribe' | 'fetch';
