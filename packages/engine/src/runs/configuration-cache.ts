import type { Configuration, ConfigurationRepository } from '../ports/configuration-repository';
import type { SealedSecrets } from '../ports/sealed-secrets';
import type { StepConfiguration, StepConfigurationSource } from './step-configuration-source';

export interface ConfigurationCacheOptions {
  repository: ConfigurationRepository;
  /** Decrypts a sealed secrets blob (SecretSealer.open). */
  open: (sealed: SealedSecrets) => Record<string, string>;
  /** Entries older than this are read again even without an invalidation. Default 60 s. */
  maxAgeMs?: number;
  /** Default 10,000 entries. */
  maxEntries?: number;
}

/**
 * Read-through cache of decrypted configurations for step jobs (docs/architecture.md §8: no store read per step).
 * `invalidate(id)` must be called when a configuration changes (token updated, re-authorised,
 * deleted); the max age bounds staleness across processes that missed the invalidation.
 */
export class ConfigurationCache implements StepConfigurationSource {
  private readonly entries = new Map<string, { value: Promise<StepConfiguration | null>; at: number }>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: ConfigurationCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  get(id: string): Promise<StepConfiguration | null> {
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && now - hit.at < this.maxAgeMs) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = this.load(id);
    this.entries.set(id, { value, at: now });
    // A failed read is not cached: the next step tries the store again.
    value.catch(() => this.entries.delete(id));
    return value;
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }

  private async load(id: string): Promise<StepConfiguration | null> {
    const configuration = await this.options.repository.findById(id);
    return configuration ? this.toStep(configuration) : null;
  }

  private toStep(configuration: Configuration): StepConfiguration {
    return {
      id: configuration.id,
      workspaceId: configuration.workspaceId,
      ownerId: configuration.ownerId,
      connector: configuration.connector,
      status: configuration.status,
      values: configuration.values,
      secrets: configuration.secrets ? this.options.open(configuration.secrets) : {},
    };
  }
}
