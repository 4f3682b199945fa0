import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FlowDocument } from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';

/**
 * The incoming webhook trigger (core/webhook): each flow gets a random token (32 bytes, base64url)
 * kept as its trigger key `core:webhook:<token>`, so deliveries are routed by the same indexed
 * lookup as Meta webhooks (enabled flows only). Saving the flow keeps the token; rotating replaces it.
 */
export const HOOKS_PATH = '/v1/hooks';
export const WEBHOOK_KEY_PREFIX = 'core:webhook:';
export const SIGNATURE_HEADER = 'x-flowcard-signature';
export const DELIVERY_HEADER = 'x-flowcard-delivery';
export const DEFAULT_HOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Headers never passed to the run: credentials of the caller. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  SIGNATURE_HEADER,
]);

export function isWebhookTrigger(spec: FlowSpec): boolean {
  return spec.trigger.card.startsWith('core/webhook@');
}

export function newWebhookKey(): string {
  return `${WEBHOOK_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The trigger key for a token taken from a URL; undefined when it cannot be one of ours. */
export function webhookKeyOf(token: string): string | undefined {
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? `${WEBHOOK_KEY_PREFIX}${token}` : undefined;
}

/** The flow's webhook URL, when its trigger is core/webhook. */
export function webhookUrlOf(flow: FlowDocument, publicUrl: string): string | undefined {
  if (!isWebhookTrigger(flow.spec) || !flow.triggerKey?.startsWith(WEBHOOK_KEY_PREFIX)) return undefined;
  return `${publicUrl}${HOOKS_PATH}/${flow.triggerKey.slice(WEBHOOK_KEY_PREFIX.length)}`;
}

/** Why a signature does not match (undefined when it does); constant-time compare. */
export function signatureProblem(
  raw: Buffer,
  header: string | undefined,
  secret: string,
): string | undefined {
  if (!header) return `the ${SIGNATURE_HEADER} header is missing`;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return `the ${SIGNATURE_HEADER} header must be sha256=<64 hex digits>`;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return timingSafeEqual(expected, given) ? undefined : 'the signature does not match the body';
}

export interface WebhookDelivery {
  readonly body: unknown;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly deliveryId?: string;
  readonly receivedAt: string;
}

/** The trigger output: parsed body, query and headers without credentials. */
export function webhookOutput(
  raw: Buffer,
  contentType: string | undefined,
  query: Record<string, unknown>,
  headers: Record<string, string | string[] | undefined>,
  at: Date,
): WebhookDelivery {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
    kept[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const deliveryId = kept[DELIVERY_HEADER];
  return {
    body: parseBody(raw, contentType),
    query: { ...query },
    headers: kept,
    ...(deliveryId ? { deliveryId } : {}),
    receivedAt: at.toISOString(),
  };
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (text === '') return null;
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  return text;
}
