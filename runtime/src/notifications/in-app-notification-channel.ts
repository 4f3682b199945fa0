import type { NotificationRepository } from '@flowcard/engine';
import type { NotificationChannel, NotificationMessage } from './notifier';

/** Stores the notification for the in-app list (GET /v1/notifications). */
export class InAppNotificationChannel implements NotificationChannel {
  readonly name = 'in-app';

  constructor(private readonly notifications: NotificationRepository) {}

  async deliver(message: NotificationMessage): Promise<void> {
    await this.notifications.create({
      workspaceId: message.workspaceId,
      userId: message.userId,
      kind: message.kind,
      title: message.title,
      body: message.body,
      configurationId: message.configurationId ?? null,
      data: message.data ?? {},
    });
  }
}
