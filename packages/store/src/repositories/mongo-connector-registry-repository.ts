import type { Model } from 'mongoose';
import { updateGuarded } from '../version-conflict';
import {
  FlowcardError,
  storeCodes,
  type Clock,
  type ConnectorRegistryRepository,
  type JsonObject,
  type LifecycleSpec,
  type NewRegistryEntry,
  type RegistryEntry,
} from '@flowcard/engine';
import { isDuplicateKeyError } from '../duplicate-key';
import type { RegistryEntryDoc } from '../models/registry-entry-model';
import { newId } from '../new-id';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const HIGHEST_FIRST = { major: -1, minor: -1, patch: -1, releaseRank: -1, prerelease: -1, _id: -1 } as const;
/** Like npm's ^1: releases win over pre-releases; a pre-release only when the major has no release. */
const LATEST_RELEASE_FIRST = { releaseRank: -1, minor: -1, patch: -1, prerelease: -1, _id: -1 } as const;

export class MongoConnectorRegistryRepository implements ConnectorRegistryRepository {
  constructor(
    private readonly model: Model<RegistryEntryDoc>,
    private readonly clock: Clock,
  ) {}

  async publish(bundle: NewRegistryEntry): Promise<RegistryEntry> {
    const version = parseSemver(bundle.version);
    const doc: RegistryEntryDoc = {
      _id: newId(),
      name: bundle.name,
      version: bundle.version,
      ...version,
      manifestJson: JSON.stringify(bundle.manifest),
      cards: bundle.cards.map((card) => ({ key: card.key, specJson: JSON.stringify(card.spec) })),
      handlers: bundle.handlers.map((handler) => ({ path: handler.path, source: handler.source })),
      contentHash: bundle.contentHash,
      lifecycle: bundle.lifecycle,
      publishedAt: this.clock.now(),
      publishedBy: bundle.publishedBy ?? null,
      workspaceId: bundle.workspaceId ?? null,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new FlowcardError(storeCodes.FLOWCARD_ERR_REGISTRY_VERSION_EXISTS, {
          name: bundle.name,
          version: bundle.version,
        });
      }
      throw error;
    }
    return toRegistryEntry(doc);
  }

  async find(name: string, version: string): Promise<RegistryEntry | null> {
    const doc = await this.model.findOne({ name, version }).lean<RegistryEntryDoc>().exec();
    return doc ? toRegistryEntry(doc) : null;
  }

  async latestOfMajor(name: string, major: number): Promise<RegistryEntry | null> {
    const [doc] = await this.model
      .find({ name, major })
      .sort(LATEST_RELEASE_FIRST)
      .limit(1)
      .lean<RegistryEntryDoc[]>()
      .exec();
    return doc ? toRegistryEntry(doc) : null;
  }

  async listVersions(name: string): Promise<RegistryEntry[]> {
    const docs = await this.model.find({ name }).sort(HIGHEST_FIRST).lean<RegistryEntryDoc[]>().exec();
    return docs.map(toRegistryEntry);
  }

  async listNames(): Promise<string[]> {
    const names = (await this.model.distinct('name').exec()) as string[];
    return [...names].sort();
  }

  async listPublishedSince(after: Date): Promise<RegistryEntry[]> {
    const docs = await this.model
      .find({ publishedAt: { $gt: after } })
      .sort({ publishedAt: 1, _id: 1 })
      .lean<RegistryEntryDoc[]>()
      .exec();
    return docs.map(toRegistryEntry);
  }

  async setLifecycle(name: string, version: string, lifecycle: LifecycleSpec): Promise<RegistryEntry | null> {
    // Only these three fields ever change: manifest, cards and handlers stay as published.
    const doc = await updateGuarded<RegistryEntryDoc, RegistryEntryDoc>(
      this.model,
      { name, version },
      {},
      {
        $set: {
          lifecycle: lifecycle.status,
          lifecycleOverrideJson: JSON.stringify(lifecycle),
          lifecycleChangedAt: this.clock.now(),
        },
      },
    );
    return doc ? toRegistryEntry(doc) : null;
  }

  async listLifecycleChangedSince(after: Date): Promise<RegistryEntry[]> {
    const docs = await this.model
      .find({ lifecycleChangedAt: { $gt: after } })
      .sort({ lifecycleChangedAt: 1, _id: 1 })
      .lean<RegistryEntryDoc[]>()
      .exec();
    return docs.map(toRegistryEntry);
  }
}

function parseSemver(
  version: string,
): Pick<RegistryEntryDoc, 'major' | 'minor' | 'patch' | 'prerelease' | 'releaseRank'> {
  const match = SEMVER.exec(version);
  if (!match) throw new TypeError(`"${version}" is not a semver version (expected e.g. 1.4.0)`);
  const prerelease = match[4] ?? null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease,
    releaseRank: prerelease ? 0 : 1,
  };
}

function toRegistryEntry(doc: RegistryEntryDoc): RegistryEntry {
  return {
    id: doc._id,
    name: doc.name,
    version: doc.version,
    major: doc.major,
    manifest: JSON.parse(doc.manifestJson) as JsonObject,
    cards: doc.cards.map((card) => ({ key: card.key, spec: JSON.parse(card.specJson) as JsonObject })),
    handlers: doc.handlers.map((handler) => ({ path: handler.path, source: handler.source })),
    contentHash: doc.contentHash,
    lifecycle: doc.lifecycle,
    publishedAt: doc.publishedAt,
    publishedBy: doc.publishedBy ?? null,
    workspaceId: doc.workspaceId ?? null,
    ...(doc.lifecycleOverrideJson
      ? { lifecycleOverride: JSON.parse(doc.lifecycleOverrideJson) as LifecycleSpec }
      : {}),
    ...(doc.lifecycleChangedAt ? { lifecycleChangedAt: doc.lifecycleChangedAt } : {}),
  };
}
