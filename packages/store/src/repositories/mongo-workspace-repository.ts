import type { Model } from 'mongoose';
import {
  FlowcardError,
  storeCodes,
  type Clock,
  type NewWorkspace,
  type SealedSecrets,
  type SealedSecretsRecord,
  type Workspace,
  type WorkspaceMetaApp,
  type WorkspaceRepository,
} from '@flowcard/engine';
import { MongoSealedSecretsHolder } from '../mongo-sealed-secrets-holder';
import { toSealedSecrets } from '../models/sealed-secrets-schema';
import type { WorkspaceDoc } from '../models/workspace-model';
import { newId } from '../new-id';
import { conflictOrNotFound, updateGuarded } from '../version-conflict';

export class MongoWorkspaceRepository implements WorkspaceRepository {
  readonly sealedSecretsKind = 'workspace Meta app secrets';
  private readonly sealedHolder: MongoSealedSecretsHolder<WorkspaceDoc>;

  constructor(
    private readonly model: Model<WorkspaceDoc>,
    private readonly clock: Clock,
  ) {
    this.sealedHolder = new MongoSealedSecretsHolder(this.sealedSecretsKind, model, 'metaApp.appSecret');
  }

  async create(input: NewWorkspace): Promise<Workspace> {
    const now = this.clock.now();
    const doc: WorkspaceDoc = {
      _id: input.id ?? newId(),
      name: input.name,
      metaApp: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.model.create(doc);
    return toWorkspace(doc);
  }

  async findById(id: string): Promise<Workspace | null> {
    const doc = await this.model.findById(id).lean<WorkspaceDoc>().exec();
    return doc ? toWorkspace(doc) : null;
  }

  async list(): Promise<Workspace[]> {
    const docs = await this.model.find({}).sort({ createdAt: 1, _id: 1 }).lean<WorkspaceDoc[]>().exec();
    return docs.map(toWorkspace);
  }

  async rename(id: string, expectedVersion: number, name: string): Promise<Workspace> {
    const doc = await updateGuarded<WorkspaceDoc, WorkspaceDoc>(
      this.model,
      { _id: id },
      { version: expectedVersion },
      { $set: { name, updatedAt: this.clock.now() }, $inc: { version: 1 } },
    );
    if (doc) return toWorkspace(doc);
    throw await conflictOrNotFound(this.model, 'Workspace', id, expectedVersion);
  }

  async setMetaApp(id: string, metaApp: WorkspaceMetaApp | null): Promise<Workspace> {
    const stored = metaApp && {
      appId: metaApp.appId,
      appSecret: toSealedSecrets(metaApp.appSecret),
      updatedAt: metaApp.updatedAt,
      updatedBy: metaApp.updatedBy,
    };
    const doc = await updateGuarded<WorkspaceDoc, WorkspaceDoc>(
      this.model,
      { _id: id },
      {},
      { $set: { metaApp: stored, updatedAt: this.clock.now() }, $inc: { version: 1 } },
    );
    if (!doc) throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_NOT_FOUND, { entity: 'Workspace', id });
    return toWorkspace(doc);
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
}

function toWorkspace(doc: WorkspaceDoc): Workspace {
  return {
    id: doc._id,
    name: doc.name,
    metaApp: doc.metaApp
      ? {
          appId: doc.metaApp.appId,
          appSecret: toSealedSecrets(doc.metaApp.appSecret),
          updatedAt: doc.metaApp.updatedAt,
          updatedBy: doc.metaApp.updatedBy,
        }
      : null,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
