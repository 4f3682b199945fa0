import type { Logger } from 'pino';
import type { NotificationChannel, NotificationMessage, Notifier } from './notifier';

/** Sends each notification through every channel, independently; a failing channel is logged. */
export class ChannelNotifier implements Notifier {
  constructor(
    private readonly channels: readonly NotificationChannel[],
    private readonly logger: Logger,
  ) {}

  async notify(message: NotificationMessage): Promise<void> {
    await Promise.all(
      this.channels.map((channel) =>
        channel.deliver(message).catch((error: unknown) => {
          this.logger.warn(
            {
              channel: channel.name,
              kind: message.kind,
              configurationId: message.configurationId,
              err: error,
            },
            `notification channel ${channel.name} failed`,
          );
        }),
      ),
    );
  }
}
