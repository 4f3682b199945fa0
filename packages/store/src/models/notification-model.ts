import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

export interface NotificationDoc {
  _id: string;
  workspaceId: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  configurationId: string | null;
  data: Record<string, string | number | boolean | null>;
  createdAt: Date;
  readAt: Date | null;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    configurationId: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  schemaOptions,
);
notificationSchema.index({ userId: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ userId: 1, readAt: 1 });

export function notificationModel(connection: Connection): Model<NotificationDoc> {
  return defineModel(connection, 'Notification', notificationSchema, 'notifications');
}
