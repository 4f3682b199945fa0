import type { CardLogger } from '@flowcard/sdk';
import type { ConnectorRegistryRepository, RegistryEntry } from '../ports/connector-registry-repository';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { formatManifestProblem } from '../registry/manifest-problem';
import { applyLifecycleOverride } from './apply-lifecycle-override';
import { installPublishedConnector, isNewer, type InstallResult } from './install-published-connector';

export interface PublishedConnectorLoaderOptions {
  readonly repository: ConnectorRegistryRepository;
  readonly registry: ConnectorRegistry;
  /** Where published versions are written out: a folder of this deployment's data directory. */
  readonly cacheDir: string;
  /** How often the registry collection is asked for new versions (default 2000 ms). */
  readonly pollIntervalMs?: number;
  readonly logger?: CardLogger;
}

/**
 * Publishes land in other processes too: an entry written by process A just before one written by
 * process B can carry a slightly later clock. Each poll looks this far back and skips ids it has seen.
 */
const OVERLAP_MS = 60_000;
const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Keeps a process's ConnectorRegistry in step with the registry collection: at start it installs
 * the newest published version of every major, then polls for versions published since and
 * installs each that is newer than what runs. It also polls for lifecycles set since (deprecate,
 * sunset: `flowcard connector lifecycle`) and applies each to the version it names when that version
 * runs here. API and worker processes all run one, so a publish or a lifecycle change reaches every
 * process within one poll interval, with no restart and no message bus.
 */
export class PublishedConnectorLoader {
  private readonly seen = new Set<string>();
  /** `<entry id>@<lifecycleChangedAt ms>`: a lifecycle change already applied (the same entry may change again). */
  private readonly seenLifecycles = new Set<string>();
  private readonly cacheDir: string;
  private readonly pollIntervalMs: number;
  private readonly logger: CardLogger;
  private since = new Date(0);
  private lifecycleSince = new Date(0);
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: PublishedConnectorLoaderOptions) {
    this.cacheDir = options.cacheDir;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.logger = options.logger ?? SILENT;
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.timer.unref();
  }

  /** Installs one entry now (the publish route does, so the publishing process runs it at once). */
  installNow(entry: RegistryEntry): Promise<InstallResult> {
    return installPublishedConnector(entry, this.options.registry, this.cacheDir);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** One round: installs every entry published since the last round that is newer than what runs. Never throws. */
  poll(): Promise<void> {
    // Rounds never overlap: a slow store must not make two rounds install the same entry at once.
    this.polling ??= this.round().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async round(): Promise<void> {
    let entries: RegistryEntry[];
    try {
      entries = await this.options.repository.listPublishedSince(
        new Date(Math.max(0, this.since.getTime() - OVERLAP_MS)),
      );
    } catch (error) {
      this.logger.warn('could not read the connector registry; will retry', {
        error: (error as Error).message,
      });
      return;
    }
    for (const entry of newestPerMajor(entries.filter((candidate) => !this.seen.has(candidate.id)))) {
      await this.install(entry);
    }
    for (const entry of entries) {
      this.seen.add(entry.id);
      if (entry.publishedAt > this.since) this.since = entry.publishedAt;
    }
    // After installing: a lifecycle set on the version just installed is applied by the install itself.
    await this.lifecycleRound();
  }

  private async lifecycleRound(): Promise<void> {
    let entries: RegistryEntry[];
    try {
      entries = await this.options.repository.listLifecycleChangedSince(
        new Date(Math.max(0, this.lifecycleSince.getTime() - OVERLAP_MS)),
      );
    } catch (error) {
      this.logger.warn('could not read connector lifecycle changes; will retry', {
        error: (error as Error).message,
      });
      return;
    }
    for (const entry of entries) {
      const changedAt = entry.lifecycleChangedAt ?? entry.publishedAt;
      const key = `${entry.id}@${changedAt.getTime()}`;
      if (this.seenLifecycles.has(key)) continue;
      this.seenLifecycles.add(key);
      if (changedAt > this.lifecycleSince) this.lifecycleSince = changedAt;
      if (applyLifecycleOverride(this.options.registry, entry)) {
        this.logger.info(`connector ${entry.name}@${entry.version} is now ${entry.lifecycle}`, {
          name: entry.name,
          version: entry.version,
          lifecycle: entry.lifecycleOverride,
        });
      }
    }
  }

  private async install(entry: RegistryEntry): Promise<void> {
    try {
      const result = await installPublishedConnector(entry, this.options.registry, this.cacheDir);
      if (result.connector) {
        this.logger.info(`loaded published connector ${entry.name}@${entry.version}`, {
          name: entry.name,
          version: entry.version,
          major: entry.major,
        });
      } else if (result.problems.length > 0) {
        this.logger.error(`published connector ${entry.name}@${entry.version} does not load`, {
          problems: result.problems.map(formatManifestProblem),
        });
      }
    } catch (error) {
      this.logger.error(`published connector ${entry.name}@${entry.version} could not be installed`, {
        error: (error as Error).message,
      });
    }
  }
}

/** Only the newest entry of each name+major matters: installing older ones first would be wasted work. */
function newestPerMajor(entries: readonly RegistryEntry[]): RegistryEntry[] {
  const best = new Map<string, RegistryEntry>();
  for (const entry of entries) {
    const key = `${entry.name}@${entry.major}`;
    const current = best.get(key);
    if (!current || isNewer(entry.version, current.version)) best.set(key, entry);
  }
  return [...best.values()];
}
