import type { Model } from 'mongoose';
import {
  FlowcardError,
  storeCodes,
  type Clock,
  type Configuration,
  type ConfigurationPatch,
  type ConfigurationRepository,
  type FindByExternalIdQuery,
  type LifecycleScanQuery,
  type ListByWorkspaceQuery,
  type ListUsableQuery,
  type NewConfiguration,
  type SealedSecrets,
  type SealedSecretsRecord,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { ConfigurationDoc } from '../models/configuration-model';
import { toSealedSecrets } from '../models/sealed-secrets-schema';
import { MongoSealedSecretsHolder } from '../mongo-sealed-secrets-holder';
import { newId } from '../new-id';
import { conflictOrNotFound, updateGuarded } from '../version-conflict';

export class MongoConfigurationRepository implements ConfigurationRepository {
  readonly sealedSecretsKind = 'configurations';
  private readonly sealedHolder: MongoSealedSecretsHolder<ConfigurationDoc>;

  constructor(
    private readonly model: Model<ConfigurationDoc>,
    private readonly clock: Clock,
  ) {
    this.sealedHolder = new MongoSealedSecretsHolder(this.sealedSecretsKind, model, 'secrets');
  }

  async create(input: NewConfiguration): Promise<Configuration> {
    const now = this.clock.now();
    const externalIds = { ...(input.externalIds ?? {}) };
    const doc: ConfigurationDoc = {
      _id: newId(),
      workspaceId: input.workspaceId,
      connector: input.connector,
      kind: input.kind,
      nickname: input.nickname,
      ownerId: input.ownerId,
      sharing: copySharing(input.sharing ?? { mode: 'private', userIds: [] }),
      values: { ...(input.values ?? {}) },
      secrets: input.secrets ? toSealedSecrets(input.secrets) : null,
      status: input.status ?? 'active',
      expiresAt: input.expiresAt ?? null,
      dataAccessExpiresAt: input.dataAccessExpiresAt ?? null,
      grantedScopes: [...(input.grantedScopes ?? [])],
      consentAt: input.consentAt ?? null,
      authorizedBy: input.authorizedBy ?? null,
      externalIds,
      externalIdIndex: externalIdIndex(externalIds),
      lastUsedAt: null,
      remindersSent: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      throw this.translateWriteError(error, doc);
    }
    return toConfiguration(doc);
  }

  async findById(id: string): Promise<Configuration | null> {
    const doc = await this.model.findById(id).lean<ConfigurationDoc>().exec();
    return doc ? toConfiguration(doc) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Configuration[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: [...ids] } })
      .sort({ _id: 1 })
      .lean<ConfigurationDoc[]>()
      .exec();
    return docs.map(toConfiguration);
  }

  async listUsableBy(query: ListUsableQuery): Promise<Configuration[]> {
    const filter: Record<string, unknown> = {
      workspaceId: query.workspaceId,
      $or: [
        { ownerId: query.userId },
        { 'sharing.mode': 'workspace' },
        { 'sharing.mode': 'users', 'sharing.userIds': query.userId },
      ],
    };
    if (query.connector !== undefined) filter.connector = query.connector;
    const docs = await this.model
      .find(filter)
      .sort({ nickname: 1, _id: 1 })
      .lean<ConfigurationDoc[]>()
      .exec();
    return docs.map(toConfiguration);
  }

  async listByWorkspace(query: ListByWorkspaceQuery): Promise<Configuration[]> {
    const filter: Record<string, unknown> = { workspaceId: query.workspaceId };
    if (query.connector !== undefined) filter.connector = query.connector;
    const docs = await this.model
      .find(filter)
      .sort({ nickname: 1, _id: 1 })
      .lean<ConfigurationDoc[]>()
      .exec();
    return docs.map(toConfiguration);
  }

  async findByExternalId(query: FindByExternalIdQuery): Promise<Configuration[]> {
    const filter: Record<string, unknown> = { externalIdIndex: externalIdToken(query.key, query.value) };
    if (query.workspaceId !== undefined) filter.workspaceId = query.workspaceId;
    if (query.connector !== undefined) filter.connector = query.connector;
    const docs = await this.model.find(filter).sort({ _id: 1 }).lean<ConfigurationDoc[]>().exec();
    return docs.map(toConfiguration);
  }

  async listDueForLifecycle(query: LifecycleScanQuery): Promise<Configuration[]> {
    const filter: Record<string, unknown> = {
      status: { $in: [...query.statuses] },
      $or: [{ expiresAt: { $lte: query.dueBefore } }, { dataAccessExpiresAt: { $lte: query.dueBefore } }],
    };
    if (query.afterId !== undefined) filter._id = { $gt: query.afterId };
    const docs = await this.model
      .find(filter)
      .sort({ _id: 1 })
      .limit(query.limit)
      .lean<ConfigurationDoc[]>()
      .exec();
    return docs.map(toConfiguration);
  }

  async update(id: string, expectedVersion: number, patch: ConfigurationPatch): Promise<Configuration> {
    const set = toSet(patch);
    set.updatedAt = this.clock.now();
    let doc: ConfigurationDoc | null;
    try {
      doc = await updateGuarded<ConfigurationDoc, ConfigurationDoc>(
        this.model,
        { _id: id },
        { version: expectedVersion },
        { $set: set, $inc: { version: 1 } },
      );
    } catch (error) {
      throw this.translateWriteError(
        error,
        await this.model.findById(id).lean<ConfigurationDoc>().exec(),
        patch,
      );
    }
    if (doc) return toConfiguration(doc);
    throw await conflictOrNotFound(this.model, 'Configuration', id, expectedVersion);
  }

  async touchLastUsed(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastUsedAt: at } }).exec();
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const filter = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
    const result = await this.model.deleteOne(filter).exec();
    if (result.deletedCount === 1) return true;
    if (expectedVersion !== undefined && (await this.model.exists({ _id: id }).exec())) {
      throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_VERSION_CONFLICT, {
        entity: 'Configuration',
        id,
        expected: expectedVersion,
      });
    }
    return false;
  }

  countSealedNotUnder(keyId: string): Promise<number> {
    return this.sealedHolder.countSealedNotUnder(keyId);
  }

  listSealedNotUnder(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<SealedSecretsRecord[]> {
    return this.sealedHolder.listSealedNotUnder(keyId, afterId, limit);
  }

  replaceSealed(id: string, expected: SealedSecrets, next: SealedSecrets): Promise<boolean> {
    return this.sealedHolder.replaceSealed(id, expected, next);
  }

  /** The only unique index besides _id is the nickname one, so a duplicate key means the nickname. */
  private translateWriteError(
    error: unknown,
    doc: ConfigurationDoc | null,
    patch: ConfigurationPatch = {},
  ): unknown {
    if (!isDuplicateKeyError(error)) return error;
    return new FlowcardError(storeCodes.FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN, {
      connector: doc?.connector ?? 'connector',
      nickname: patch.nickname ?? doc?.nickname ?? '',
    });
  }
}

function toSet(patch: ConfigurationPatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  if (patch.nickname !== undefined) set.nickname = patch.nickname;
  if (patch.ownerId !== undefined) set.ownerId = patch.ownerId;
  if (patch.sharing !== undefined) set.sharing = copySharing(patch.sharing);
  if (patch.values !== undefined) set.values = { ...patch.values };
  if (patch.secrets !== undefined) set.secrets = patch.secrets ? toSealedSecrets(patch.secrets) : null;
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.expiresAt !== undefined) set.expiresAt = patch.expiresAt;
  if (patch.dataAccessExpiresAt !== undefined) set.dataAccessExpiresAt = patch.dataAccessExpiresAt;
  if (patch.grantedScopes !== undefined) set.grantedScopes = [...patch.grantedScopes];
  if (patch.consentAt !== undefined) set.consentAt = patch.consentAt;
  if (patch.authorizedBy !== undefined) set.authorizedBy = patch.authorizedBy;
  if (patch.remindersSent !== undefined) set.remindersSent = [...patch.remindersSent];
  if (patch.externalIds !== undefined) {
    set.externalIds = { ...patch.externalIds };
    set.externalIdIndex = externalIdIndex(patch.externalIds);
  }
  return set;
}

function copySharing(sharing: Configuration['sharing']): ConfigurationDoc['sharing'] {
  // userIds only mean something for mode 'users'; dropping them otherwise keeps queries honest.
  return { mode: sharing.mode, userIds: sharing.mode === 'users' ? [...new Set(sharing.userIds)] : [] };
}

function externalIdToken(key: string, value: string): string {
  return `${key}=${value}`;
}

function externalIdIndex(externalIds: Readonly<Record<string, string>>): string[] {
  return Object.entries(externalIds).map(([key, value]) => externalIdToken(key, value));
}

function toConfiguration(doc: ConfigurationDoc): Configuration {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    connector: doc.connector,
    kind: doc.kind,
    nickname: doc.nickname,
    ownerId: doc.ownerId,
    sharing: { mode: doc.sharing.mode, userIds: [...(doc.sharing.userIds ?? [])] },
    values: { ...(doc.values ?? {}) },
    secrets: doc.secrets ? toSealedSecrets(doc.secrets) : null,
    status: doc.status,
    expiresAt: doc.expiresAt ?? null,
    dataAccessExpiresAt: doc.dataAccessExpiresAt ?? null,
    grantedScopes: [...(doc.grantedScopes ?? [])],
    consentAt: doc.consentAt ?? null,
    authorizedBy: doc.authorizedBy ?? null,
    externalIds: { ...(doc.externalIds ?? {}) },
    lastUsedAt: doc.lastUsedAt ?? null,
    remindersSent: [...(doc.remindersSent ?? [])],
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
