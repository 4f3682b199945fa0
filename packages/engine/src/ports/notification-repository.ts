/** Plain JSON details of a notification. */
export type NotificationData = Readonly<Record<string, string | number | boolean | null>>;

/** An in-app notification (one of the notifier's channels). */
export interface Notification {
  readonly id: string;
  readonly workspaceId: string;
  readonly userId: string;
  /** Machine-readable kind, e.g. "configuration.expiring". */
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly configurationId: string | null;
  readonly data: NotificationData;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export interface NewNotification {
  readonly workspaceId: string;
  readonly userId: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly configurationId?: string | null;
  readonly data?: NotificationData;
}

export interface ListNotificationsQuery {
  readonly userId: string;
  readonly workspaceId?: string;
  readonly unreadOnly?: boolean;
  /** Default 50. */
  readonly limit?: number;
}

export interface NotificationRepository {
  create(input: NewNotification): Promise<Notification>;
  /** Newest first. */
  listForUser(query: ListNotificationsQuery): Promise<Notification[]>;
  countUnread(userId: string, workspaceId?: string): Promise<number>;
  /** Only the recipient may mark it; false when unknown, someone else's, or already read. */
  markRead(id: string, userId: string, at: Date): Promise<boolean>;
  /** Returns how many were marked. */
  markAllRead(userId: string, at: Date, workspaceId?: string): Promise<number>;
}
