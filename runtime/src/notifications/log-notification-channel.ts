import type { Logger } from 'pino';
import type { NotificationChannel, NotificationMessage } from './notifier';

/** Writes one log line per notification: who, what kind, which configuration; no secret is in a message. */
export class LogNotificationChannel implements NotificationChannel {
  readonly name = 'log';

  constructor(private readonly logger: Logger) {}

  async deliver(message: NotificationMessage): Promise<void> {
    this.logger.info(
      {
        notification: {
          kind: message.kind,
          workspaceId: message.workspaceId,
          userId: message.userId,
          configurationId: message.configurationId ?? null,
        },
      },
      message.title,
    );
  }
}
