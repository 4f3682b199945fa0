import type { NotificationChannel, NotificationMessage } from './notifier';

const TIMEOUT_MS = 5_000;

/**
 * POSTs each notification as JSON to the deployment's webhook (FLOWCARD_NOTIFY_WEBHOOK_URL), so a
 * team can route reminders to chat or email. Not retried: the in-app list keeps the record.
 */
export class WebhookNotificationChannel implements NotificationChannel {
  readonly name = 'webhook';

  constructor(private readonly url: string) {}

  async deliver(message: NotificationMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'flowcard-notifier' },
      body: JSON.stringify({
        kind: message.kind,
        workspaceId: message.workspaceId,
        userId: message.userId,
        configurationId: message.configurationId ?? null,
        title: message.title,
        body: message.body,
        data: message.data ?? {},
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`notification webhook answered HTTP ${response.status}`);
  }
}
