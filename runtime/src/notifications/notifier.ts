import type { NotificationData } from '@flowcard/engine';

/** One thing to tell one user. Never a secret: titles and bodies name configurations, not tokens. */
export interface NotificationMessage {
  readonly workspaceId: string;
  readonly userId: string;
  /** Machine-readable, e.g. "configuration.expiring", "configuration.needs_reauth". */
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly configurationId?: string | null;
  readonly data?: NotificationData;
}

/** Where a notification goes (log line, outbound webhook, in-app list). */
export interface NotificationChannel {
  readonly name: string;
  deliver(message: NotificationMessage): Promise<void>;
}

/**
 * The notifier port of the token lifecycle and the flow engine: one call, every channel. A channel
 * that fails (a webhook receiver down) does not stop the others.
 */
export interface Notifier {
  notify(message: NotificationMessage): Promise<void>;
}
