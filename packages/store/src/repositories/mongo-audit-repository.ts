import type { Model } from 'mongoose';
import type { AuditEvent, AuditRepository, Clock, ListAuditQuery, NewAuditEvent } from '@flowcard/engine';
import type { AuditEventDoc } from '../models/audit-event-model';
import { newId } from '../new-id';

export class MongoAuditRepository implements AuditRepository {
  constructor(
    private readonly model: Model<AuditEventDoc>,
    private readonly clock: Clock,
  ) {}

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const doc: AuditEventDoc = {
      _id: newId(),
      workspaceId: event.workspaceId,
      configurationId: event.configurationId ?? null,
      actorId: event.actorId,
      action: event.action,
      detailsJson: JSON.stringify(event.details ?? {}),
      at: event.at ?? this.clock.now(),
    };
    await this.model.create(doc);
    return toAuditEvent(doc);
  }

  async list(query: ListAuditQuery): Promise<AuditEvent[]> {
    const filter: Record<string, unknown> = { workspaceId: query.workspaceId };
    if (query.configurationId !== undefined) filter.configurationId = query.configurationId;
    // Same-millisecond events keep append order through the ObjectId-ordered _id.
    const direction = query.order === 'desc' ? -1 : 1;
    const docs = await this.model
      .find(filter)
      .sort({ at: direction, _id: direction })
      .limit(query.limit ?? 100)
      .lean<AuditEventDoc[]>()
      .exec();
    return docs.map(toAuditEvent);
  }
}

function toAuditEvent(doc: AuditEventDoc): AuditEvent {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    configurationId: doc.configurationId ?? null,
    actorId: doc.actorId,
    action: doc.action,
    details: JSON.parse(doc.detailsJson) as AuditEvent['details'],
    at: doc.at,
  };
}
