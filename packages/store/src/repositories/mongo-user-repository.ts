import type { Model } from 'mongoose';
import { updateGuarded } from '../version-conflict';
import {
  FlowcardError,
  storeCodes,
  type ApiKey,
  type ApiKeyIdentity,
  type Clock,
  type NewApiKey,
  type NewUser,
  type User,
  type UserRepository,
  type WorkspaceMembership,
  type WorkspaceRole,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { ApiKeyDoc } from '../models/api-key-model';
import type { UserDoc } from '../models/user-model';
import { newId } from '../new-id';

/** Concurrent membership edits retry this often before giving up with a version conflict. */
const MEMBERSHIP_ATTEMPTS = 5;

export class MongoUserRepository implements UserRepository {
  constructor(
    private readonly users: Model<UserDoc>,
    private readonly apiKeys: Model<ApiKeyDoc>,
    private readonly clock: Clock,
  ) {}

  async create(input: NewUser): Promise<User> {
    const now = this.clock.now();
    const email = normaliseEmail(input.email);
    const doc: UserDoc = {
      _id: newId(),
      email,
      name: input.name ?? '',
      memberships: (input.memberships ?? []).map((m) => ({ workspaceId: m.workspaceId, role: m.role })),
      passwordHash: null,
      lastSeenAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.users.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error))
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_USER_EMAIL_TAKEN, { email });
      throw error;
    }
    return toUser(doc);
  }

  async findById(id: string): Promise<User | null> {
    const doc = await this.users.findById(id).lean<UserDoc>().exec();
    return doc ? toUser(doc) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const doc = await this.users
      .findOne({ email: normaliseEmail(email) })
      .lean<UserDoc>()
      .exec();
    return doc ? toUser(doc) : null;
  }

  async listByWorkspace(workspaceId: string): Promise<User[]> {
    const docs = await this.users
      .find({ 'memberships.workspaceId': workspaceId })
      .sort({ _id: 1 })
      .lean<UserDoc[]>()
      .exec();
    return docs.map(toUser);
  }

  setMembership(userId: string, workspaceId: string, role: WorkspaceRole): Promise<User> {
    // A role change keeps the membership's place: the order is the order the user joined in.
    return this.editMemberships(userId, (memberships) =>
      memberships.some((m) => m.workspaceId === workspaceId)
        ? memberships.map((m) => (m.workspaceId === workspaceId ? { workspaceId, role } : m))
        : [...memberships, { workspaceId, role }],
    );
  }

  removeMembership(userId: string, workspaceId: string): Promise<User> {
    return this.editMemberships(userId, (memberships) =>
      memberships.filter((m) => m.workspaceId !== workspaceId),
    );
  }

  async hasAny(): Promise<boolean> {
    return (await this.users.exists({}).exec()) !== null;
  }

  async setName(userId: string, name: string): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $set: { name, updatedAt: this.clock.now() } }).exec();
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    const result = await this.users
      .updateOne({ _id: userId }, { $set: { passwordHash, updatedAt: this.clock.now() } })
      .exec();
    if (result.matchedCount === 0)
      throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_NOT_FOUND, { entity: 'User', id: userId });
  }

  async findPasswordHash(userId: string): Promise<string | null> {
    const doc = await this.users.findById(userId).lean<UserDoc>().exec();
    return doc?.passwordHash ?? null;
  }

  async touchLastSeen(userId: string, at: Date): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $set: { lastSeenAt: at } }).exec();
  }

  async createApiKey(input: NewApiKey): Promise<ApiKey> {
    const doc: ApiKeyDoc = {
      _id: input.id,
      userId: input.userId,
      workspaceId: input.workspaceId,
      name: input.name,
      hash: input.hash,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    try {
      await this.apiKeys.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_DUPLICATE, {
          entity: 'API key',
          detail: `id ${input.id}`,
        });
      }
      throw error;
    }
    return toApiKey(doc);
  }

  async findByApiKeyHash(hash: string): Promise<ApiKeyIdentity | null> {
    const key = await this.apiKeys.findOne({ hash, revokedAt: null }).lean<ApiKeyDoc>().exec();
    if (!key) return null;
    const user = await this.findById(key.userId);
    if (!user) return null;
    const role = user.memberships.find((m) => m.workspaceId === key.workspaceId)?.role ?? null;
    return { user, apiKey: toApiKey(key), role };
  }

  async listApiKeys(userId: string): Promise<ApiKey[]> {
    const docs = await this.apiKeys
      .find({ userId })
      .sort({ createdAt: 1, _id: 1 })
      .lean<ApiKeyDoc[]>()
      .exec();
    return docs.map(toApiKey);
  }

  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    const result = await this.apiKeys
      .updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } })
      .exec();
    return result.matchedCount === 1;
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.apiKeys.updateOne({ _id: id }, { $set: { lastUsedAt: at } }).exec();
  }

  /** Read, change, write the whole array back if nobody wrote in between; retry otherwise. */
  private async editMemberships(
    userId: string,
    edit: (memberships: readonly WorkspaceMembership[]) => WorkspaceMembership[],
  ): Promise<User> {
    for (let attempt = 1; attempt <= MEMBERSHIP_ATTEMPTS; attempt += 1) {
      const current = await this.users.findById(userId).lean<UserDoc>().exec();
      if (!current)
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_NOT_FOUND, { entity: 'User', id: userId });
      const memberships = edit(current.memberships).map((m) => ({
        workspaceId: m.workspaceId,
        role: m.role,
      }));
      const updated = await updateGuarded<UserDoc, UserDoc>(
        this.users,
        { _id: userId },
        { version: current.version },
        { $set: { memberships, updatedAt: this.clock.now() }, $inc: { version: 1 } },
      );
      if (updated) return toUser(updated);
    }
    throw new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_VERSION_CONFLICT, {
      entity: 'User',
      id: userId,
      expected: 'current',
    });
  }
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    memberships: doc.memberships.map((m) => ({ workspaceId: m.workspaceId, role: m.role })),
    lastSeenAt: doc.lastSeenAt ?? null,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toApiKey(doc: ApiKeyDoc): ApiKey {
  return {
    id: doc._id,
    userId: doc.userId,
    workspaceId: doc.workspaceId,
    name: doc.name,
    hash: doc.hash,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt ?? null,
    revokedAt: doc.revokedAt ?? null,
  };
}
