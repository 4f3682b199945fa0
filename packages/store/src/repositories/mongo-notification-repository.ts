import type { Model } from 'mongoose';
import type {
  Clock,
  ListNotificationsQuery,
  NewNotification,
  Notification,
  NotificationRepository,
} from '@flowcard/engine';
import type { NotificationDoc } from '../models/notification-model';
import { newId } from '../new-id';

export class MongoNotificationRepository implements NotificationRepository {
  constructor(
    private readonly model: Model<NotificationDoc>,
    private readonly clock: Clock,
  ) {}

  async create(input: NewNotification): Promise<Notification> {
    const doc: NotificationDoc = {
      _id: newId(),
      workspaceId: input.workspaceId,
      userId: input.userId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      configurationId: input.configurationId ?? null,
      data: { ...(input.data ?? {}) },
      createdAt: this.clock.now(),
      readAt: null,
    };
    await this.model.create(doc);
    return toNotification(doc);
  }

  async listForUser(query: ListNotificationsQuery): Promise<Notification[]> {
    const filter: Record<string, unknown> = { userId: query.userId };
    if (query.workspaceId !== undefined) filter.workspaceId = query.workspaceId;
    if (query.unreadOnly) filter.readAt = null;
    const docs = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit ?? 50)
      .lean<NotificationDoc[]>()
      .exec();
    return docs.map(toNotification);
  }

  countUnread(userId: string, workspaceId?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId, readAt: null };
    if (workspaceId !== undefined) filter.workspaceId = workspaceId;
    return this.model.countDocuments(filter).exec();
  }

  async markRead(id: string, userId: string, at: Date): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: id, userId, readAt: null }, { $set: { readAt: at } })
      .exec();
    return result.matchedCount === 1;
  }

  async markAllRead(userId: string, at: Date, workspaceId?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId, readAt: null };
    if (workspaceId !== undefined) filter.workspaceId = workspaceId;
    const result = await this.model.updateMany(filter, { $set: { readAt: at } }).exec();
    return result.modifiedCount;
  }
}

function toNotification(doc: NotificationDoc): Notification {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    userId: doc.userId,
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    configurationId: doc.configurationId ?? null,
    data: { ...(doc.data ?? {}) },
    createdAt: doc.createdAt,
    readAt: doc.readAt ?? null,
  };
}
