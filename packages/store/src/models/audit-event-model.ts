import { Schema, type Connection, type Model } from 'mongoose';
import { defineModel } from './define-model';
import { schemaOptions } from './schema-options';

export interface AuditEventDoc {
  _id: string;
  workspaceId: string;
  configurationId: string | null;
  actorId: string;
  action: string;
  /** JSON text: details are free-form and may hold keys ($…, dotted) MongoDB refuses as field names. */
  detailsJson: string;
  at: Date;
}

const auditEventSchema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    configurationId: { type: String, default: null },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    detailsJson: { type: String, default: '{}' },
    at: { type: Date, required: true },
  },
  schemaOptions,
);
auditEventSchema.index({ workspaceId: 1, at: 1, _id: 1 });
auditEventSchema.index({ configurationId: 1, at: 1, _id: 1 });

export function auditEventModel(connection: Connection): Model<AuditEventDoc> {
  return defineModel(connection, 'AuditEvent', auditEventSchema, 'audit_events');
}
