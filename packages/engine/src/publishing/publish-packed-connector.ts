import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import { publishingCodes as codes } from '../errors/codes/publishing-codes';
import { FlowcardError } from '../errors/flowcard-error';
import type {
  ConnectorRegistryRepository,
  JsonObject,
  RegistryEntry,
} from '../ports/connector-registry-repository';
import { storeCodes } from '../ports/store-error-codes';
import { loadConnector } from '../registry/load-connector';
import { formatManifestProblem } from '../registry/manifest-problem';
import { compareConnectorVersions, type ConnectorVersionContent } from './compare-connector-versions';
import type { PackedConnector } from './packed-connector';
import { formatSchemaChange, type SchemaChange } from './schema-change';
import { compareSemanticVersions, parseSemanticVersion } from './semantic-version';
import { verifyPackedConnector } from './verify-packed-connector';
import { writePackedConnector } from './write-packed-connector';

/** A version the candidate must stay compatible with, when the registry collection does not hold it (e.g. a workspace connector). */
export interface InstalledConnectorVersion extends ConnectorVersionContent {
  readonly version: string;
}

export interface PublishPackedConnectorRequest {
  /** The uploaded bundle, as parsed JSON: it is verified here. */
  readonly bundle: unknown;
  readonly repository: ConnectorRegistryRepository;
  /** User id of the publisher, stored with the entry. */
  readonly publishedBy?: string | null;
  /** What this process already runs in the candidate's major (from disk); also checked against. */
  readonly installed?: InstalledConnectorVersion;
  /**
   * The workspace publishing the connector for itself; null or absent: a deployment connector (the
   * operator installs it for every workspace).
   */
  readonly workspaceId?: string | null;
  /** This process already runs a connector of that name (from disk or the registry): whose it is. */
  readonly nameInUse?: { readonly workspaceId: string | null };
}

export interface PublishOutcome {
  /** `unchanged`: the same name, version and content hash was already published (a safe retry). */
  readonly status: 'published' | 'unchanged';
  readonly entry: RegistryEntry;
  /** The version the candidate was compared with, if any. */
  readonly comparedWith?: string;
  readonly additive: readonly SchemaChange[];
}

/**
 * Publishes one bundle to the registry collection, refusing what could break a flow:
 *
 * 1. the bundle is verified (layout, content hash) and loaded like any connector folder;
 * 2. the same name+version with the same hash is a no-op; with another hash it is refused (409);
 * 3. the version must be newer than the latest published (or installed) version of its major;
 * 4. the card and configuration schemas are compared with that version: any breaking change is
 *    refused with `breaking change: bump the major version` and the list (422).
 *
 * Errors are FlowcardErrors with registered codes (details carry the change lists).
 */
export async function publishPackedConnector(
  request: PublishPackedConnectorRequest,
): Promise<PublishOutcome> {
  const bundle = verifyPackedConnector(request.bundle);
  await assertLoads(bundle);
  const { repository } = request;
  await assertNameFree(request, bundle.name);

  const existing = await repository.find(bundle.name, bundle.version);
  if (existing) {
    if (existing.contentHash === bundle.contentHash)
      return { status: 'unchanged', entry: existing, additive: [] };
    throw new FlowcardError(storeCodes.FLOWCARD_ERR_REGISTRY_VERSION_EXISTS, {
      name: bundle.name,
      version: bundle.version,
    });
  }

  const major = (parseSemanticVersion(bundle.version) as { major: number }).major;
  const baseline = newest(await latestPublished(repository, bundle.name, major), request.installed);
  let additive: readonly SchemaChange[] = [];
  if (baseline) {
    if (compareSemanticVersions(bundle.version, baseline.version) <= 0) {
      throw new FlowcardError(codes.FLOWCARD_ERR_PUBLISH_VERSION_NOT_NEWER, {
        name: bundle.name,
        version: bundle.version,
        latest: baseline.version,
        major,
      });
    }
    const report = compareConnectorVersions(baseline, {
      manifest: bundle.manifest,
      cards: bundle.cards.map((card) => card.spec),
    });
    if (report.breaking.length > 0) {
      const error = new FlowcardError(codes.FLOWCARD_ERR_PUBLISH_BREAKING_CHANGE, {
        changes: report.breaking.map((change) => `  - ${formatSchemaChange(change)}`).join('\n'),
      });
      // details follows the API's error shape (an array of {path, message}); the kind tells the lists apart.
      const details = [
        ...report.breaking.map((change) => ({ kind: 'breaking', comparedWith: baseline.version, ...change })),
        ...report.additive.map((change) => ({ kind: 'additive', comparedWith: baseline.version, ...change })),
      ];
      throw Object.assign(error, { details });
    }
    additive = report.additive;
  }

  const entry = await repository.publish({
    name: bundle.name,
    version: bundle.version,
    manifest: bundle.manifest as unknown as JsonObject,
    cards: bundle.cards.map((card) => ({ key: card.key, spec: card.spec as unknown as JsonObject })),
    handlers: bundle.handlers,
    contentHash: bundle.contentHash,
    lifecycle: bundle.manifest.lifecycle.status,
    publishedBy: request.publishedBy ?? null,
    workspaceId: request.workspaceId ?? null,
  });
  return { status: 'published', entry, additive, ...(baseline ? { comparedWith: baseline.version } : {}) };
}

/**
 * A connector name belongs to one scope: the deployment, or the one workspace that published it
 * first. Publishing it from another scope is refused (FLOWCARD_ERR_PUBLISH_NAME_TAKEN), so a
 * workspace connector never shadows a deployment one and flows always mean the same connector.
 * The message names another workspace's id only to the operator (deployment scope).
 */
async function assertNameFree(request: PublishPackedConnectorRequest, name: string): Promise<void> {
  const scope = request.workspaceId ?? null;
  const published = await request.repository.listVersions(name);
  const owner =
    published.length > 0 ? (published[0] as RegistryEntry).workspaceId : request.nameInUse?.workspaceId;
  if (owner === undefined || owner === scope) return;
  const reason =
    owner === null
      ? 'belongs to a connector the deployment installed for every workspace'
      : scope === null
        ? `belongs to a connector workspace ${owner} published for itself`
        : 'is taken by another connector';
  throw new FlowcardError(codes.FLOWCARD_ERR_PUBLISH_NAME_TAKEN, { name, reason });
}

/** Loads the bundle from a scratch folder exactly as the runtime will, so nothing unloadable is stored. */
async function assertLoads(bundle: PackedConnector): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'flowcard-publish-'));
  try {
    const dir = join(scratch, bundle.name);
    await writePackedConnector(bundle, dir);
    const { problems } = await loadConnector(dir);
    if (problems.length > 0) {
      throw new FlowcardError(codes.FLOWCARD_ERR_BUNDLE_CONNECTOR_INVALID, {
        name: bundle.name,
        version: bundle.version,
        problems: problems.map((problem) => `  - ${formatManifestProblem(problem)}`).join('\n'),
      });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function latestPublished(
  repository: ConnectorRegistryRepository,
  name: string,
  major: number,
): Promise<InstalledConnectorVersion | undefined> {
  const entry = await repository.latestOfMajor(name, major);
  if (!entry) return undefined;
  return {
    version: entry.version,
    manifest: entry.manifest as unknown as ConnectorManifestSpec,
    cards: entry.cards.map((card) => card.spec as unknown as CardSpec),
  };
}

function newest(
  a: InstalledConnectorVersion | undefined,
  b: InstalledConnectorVersion | undefined,
): InstalledConnectorVersion | undefined {
  if (!a || !b) return a ?? b;
  return compareSemanticVersions(a.version, b.version) >= 0 ? a : b;
}
