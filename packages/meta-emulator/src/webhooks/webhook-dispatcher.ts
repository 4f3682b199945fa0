import { createHmac } from 'node:crypto';
import { SeededRandom } from '../seeded-random';

export interface WebhookDeliveryOptions {
  /** Percentage of deliveries silently not sent (webhooks are missed in practice). Default 0. */
  dropPercent?: number;
  /** Extra copies of each delivery sent after the first (at-least-once delivery). Default 0. */
  duplicate?: number;
  /** Wait this long (real ms) before each POST. Default 0. */
  delayMs?: number;
  /** Sign with the wrong key, so receivers must reject it. Default false. */
  forgeSignature?: boolean;
  /** PRNG seed for dropPercent. */
  seed?: number;
}

export interface WebhookDelivery {
  /** Sequence number, from 1. */
  id: number;
  /** Emulator-clock time the delivery was decided. */
  time: number;
  url: string;
  field: string;
  pageId: string;
  leadId?: string;
  /** Exact bytes sent (the signature covers them). */
  body: string;
  signature: string;
  forged: boolean;
  /** 0 for the original, 1… for duplicates. */
  copy: number;
  outcome: 'pending' | 'delivered' | 'dropped' | 'failed';
  status?: number;
  error?: string;
}

const DEFAULTS: Required<Omit<WebhookDeliveryOptions, 'seed'>> = {
  dropPercent: 0,
  duplicate: 0,
  delayMs: 0,
  forgeSignature: false,
};

/**
 * Sends webhook payloads like Meta: POST, JSON, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of
 * the raw body keyed by the app secret>`. Failed deliveries are logged, not retried (Meta retries
 * for up to 36 hours; tests that need that resend with the control API).
 */
export class WebhookDispatcher {
  private options = { ...DEFAULTS };
  private random = new SeededRandom();
  private log: WebhookDelivery[] = [];
  private pending = new Set<Promise<void>>();
  private nextId = 1;

  configure(options: WebhookDeliveryOptions): void {
    this.options = { ...this.options, ...stripUndefined(options) };
    if (options.seed !== undefined) this.random = new SeededRandom(options.seed);
  }

  reset(): void {
    this.options = { ...DEFAULTS };
    this.random = new SeededRandom();
    this.log = [];
    this.nextId = 1;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  /** Resolves once every delivery started so far has finished (or been dropped). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  send(
    url: string,
    payload: unknown,
    secret: string,
    meta: { field: string; pageId: string; leadId?: string; now: number },
  ): void {
    const body = JSON.stringify(payload);
    const forged = this.options.forgeSignature;
    const key = forged ? `${secret}-forged` : secret;
    const signature = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    for (let copy = 0; copy <= this.options.duplicate; copy++) {
      const delivery: WebhookDelivery = {
        id: this.nextId++,
        time: meta.now,
        url,
        field: meta.field,
        pageId: meta.pageId,
        leadId: meta.leadId,
        body,
        signature,
        forged,
        copy,
        outcome: 'pending',
      };
      this.log.push(delivery);
      // Drop decisions are per delivery, so a duplicate can arrive when its original was lost.
      if (this.random.chance(this.options.dropPercent)) {
        delivery.outcome = 'dropped';
        continue;
      }
      const task = this.post(delivery, this.options.delayMs).finally(() => this.pending.delete(task));
      this.pending.add(task);
    }
  }

  private async post(delivery: WebhookDelivery, delayMs: number): Promise<void> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': delivery.signature,
          'user-agent': 'facebookexternalua',
        },
        body: delivery.body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
      delivery.outcome = response.ok ? 'delivered' : 'failed';
    } catch (error) {
      delivery.outcome = 'failed';
      delivery.error = error instanceof Error ? error.message : String(error);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
