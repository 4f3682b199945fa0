import type { Model } from 'mongoose';
import {
  cardSteps,
  type Clock,
  type FlowDocument,
  type FlowPatch,
  type FlowPause,
  type FlowRepository,
  type ListEnabledFlowsQuery,
  type ListFlowsQuery,
  type NewFlow,
} from '@flowcard/engine';
import { newId } from '../new-id';
import type { FlowDoc } from './flow-model';
import { conflictOrNotFound, versionConflict, updateGuarded } from '../version-conflict';

// The spec type through the port: the store depends on the engine only (README), not on schemas.
type FlowSpec = FlowDocument['spec'];

const DEFAULT_LIST_LIMIT = 100;

export class MongoFlowRepository implements FlowRepository {
  constructor(
    private readonly model: Model<FlowDoc>,
    private readonly clock: Clock,
  ) {}

  async create(input: NewFlow): Promise<FlowDocument> {
    const now = this.clock.now();
    const doc: FlowDoc = {
      _id: newId(),
      workspaceId: input.workspaceId,
      ownerId: input.ownerId,
      ...specFields(input.spec),
      enabled: input.enabled ?? false,
      triggerKey: input.triggerKey ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.model.create(doc);
    return toFlowDocument(doc);
  }

  async findById(id: string): Promise<FlowDocument | null> {
    const doc = await this.model.findById(id).lean<FlowDoc>().exec();
    return doc ? toFlowDocument(doc) : null;
  }

  async listByWorkspace(query: ListFlowsQuery): Promise<FlowDocument[]> {
    const filter: Record<string, unknown> = { workspaceId: query.workspaceId };
    if (query.enabled !== undefined) filter.enabled = query.enabled;
    if (query.afterId !== undefined) filter._id = { $gt: query.afterId };
    return this.list(filter, query.limit ?? DEFAULT_LIST_LIMIT);
  }

  listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]> {
    return this.list({ triggerKey, enabled: true });
  }

  listEnabled(query: ListEnabledFlowsQuery): Promise<FlowDocument[]> {
    const filter: Record<string, unknown> = { enabled: true };
    if (query.afterId !== undefined) filter._id = { $gt: query.afterId };
    return this.list(filter, query.limit);
  }

  listEnabledByConfiguration(configurationId: string): Promise<FlowDocument[]> {
    return this.list({ configurationIds: configurationId, enabled: true });
  }

  async update(id: string, expectedVersion: number, patch: FlowPatch): Promise<FlowDocument> {
    const set = toSet(patch);
    set.updatedAt = this.clock.now();
    const doc = await updateGuarded<FlowDoc, FlowDoc>(
      this.model,
      { _id: id },
      { version: expectedVersion },
      { $set: set, $inc: { version: 1 } },
    );
    if (doc) return toFlowDocument(doc);
    throw await conflictOrNotFound(this.model, 'Flow', id, expectedVersion);
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const filter = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
    const result = await this.model.deleteOne(filter).exec();
    if (result.deletedCount === 1) return true;
    if (expectedVersion !== undefined && (await this.model.exists({ _id: id }).exec())) {
      throw versionConflict('Flow', id, expectedVersion);
    }
    return false;
  }

  private async list(filter: Record<string, unknown>, limit?: number): Promise<FlowDocument[]> {
    const query = this.model.find(filter).sort({ _id: 1 });
    if (limit !== undefined) query.limit(limit);
    const docs = await query.lean<FlowDoc[]>().exec();
    return docs.map(toFlowDocument);
  }
}

/** The spec's JSON text and its configuration mirror: always written together. */
function specFields(spec: FlowSpec): Pick<FlowDoc, 'specJson' | 'configurationIds'> {
  const configurationIds = [
    spec.trigger.configurationId,
    ...cardSteps(spec.steps).map((step) => step.configurationId),
  ];
  const used = configurationIds.filter((id): id is string => id !== undefined);
  return { specJson: JSON.stringify(spec), configurationIds: [...new Set(used)] };
}

function toSet(patch: FlowPatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  if (patch.spec !== undefined) Object.assign(set, specFields(patch.spec));
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.triggerKey !== undefined) set.triggerKey = patch.triggerKey;
  if (patch.ownerId !== undefined) set.ownerId = patch.ownerId;
  if (patch.paused !== undefined)
    set.pausedJson = patch.paused === null ? null : JSON.stringify(patch.paused);
  return set;
}

function toFlowDocument(doc: FlowDoc): FlowDocument {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    ownerId: doc.ownerId,
    spec: JSON.parse(doc.specJson) as FlowSpec,
    enabled: doc.enabled,
    triggerKey: doc.triggerKey ?? null,
    version: doc.version,
    paused: doc.pausedJson ? toFlowPause(doc.pausedJson) : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toFlowPause(json: string): FlowPause {
  const parsed = JSON.parse(json) as Omit<FlowPause, 'at'> & { at: string };
  return { ...parsed, at: new Date(parsed.at) };
}
