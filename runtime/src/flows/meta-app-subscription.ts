import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';

/** Path of the Meta webhook endpoint; the callback URL Meta is given is the public URL plus this. */
export const META_WEBHOOK_PATH = '/v1/webhooks/meta';

/**
 * Embedded mode only: registers this runtime's webhook callback with the bundled emulator's app
 * (`POST /{app-id}/subscriptions`, object page, field leadgen, with the app token), as an operator
 * does once in the Meta app dashboard for a real app. The emulator checks the callback with the
 * handshake at once, so this runs when the API listens, and again before a flow is enabled (then
 * the API certainly answers). With a real Meta app (META_APP_ID set) it does nothing: the
 * subscription is configured at Meta, with META_WEBHOOK_VERIFY_TOKEN.
 */
export class MetaAppSubscription {
  private registered: Promise<void> | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly logger: Logger,
  ) {}

  get applies(): boolean {
    return this.config.meta.source === 'emulator';
  }

  get callbackUrl(): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}${META_WEBHOOK_PATH}`;
  }

  /** Registers once per process; a failure is forgotten so the next call tries again. */
  ensure(): Promise<void> {
    if (!this.applies) return Promise.resolve();
    this.registered ??= this.register().catch((error: unknown) => {
      this.registered = undefined;
      throw error;
    });
    return this.registered;
  }

  private async register(): Promise<void> {
    const { appId, appSecret, graphUrl, graphVersion } = this.config.meta;
    const response = await fetch(`${graphUrl}/${graphVersion}/${appId}/subscriptions`, {
      method: 'POST',
      body: new URLSearchParams({
        object: 'page',
        callback_url: this.callbackUrl,
        fields: 'leadgen',
        verify_token: this.config.metaWebhookVerifyToken,
        access_token: `${appId}|${appSecret}`,
      }),
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(
        `the Meta emulator refused the webhook subscription (HTTP ${response.status}): ${text.slice(0, 200)}`,
      );
    }
    this.logger.info(
      { callbackUrl: this.callbackUrl },
      'webhook callback registered with the bundled Meta emulator',
    );
  }
}
