import {
  FlowcardError,
  type Clock,
  type Configuration,
  type ConfigurationRepository,
  type ConfigurationStatus,
  type ResolvedConfiguration,
  type SecretSealer,
} from '@flowcard/engine';
import type { Redis } from 'ioredis';
import { runtimeErrorCodes } from '../http/errors/runtime-error-codes';
import { mayUse, type ConfigurationUser } from './configuration-access';
import type { MetaAppSecretSupplier } from './meta-app-secret-supplier';

export type { ConfigurationUser } from './configuration-access';

/** What a card run needs: the executor's ResolvedConfiguration plus what the flow engine decides on. */
export interface ResolvedSavedConfiguration extends ResolvedConfiguration {
  readonly id: string;
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly connector: string;
  readonly kind: string;
  /** `needs_reauth` / `revoked` / `expired`: the engine parks or fails instead of calling the service. */
  readonly status: ConfigurationStatus;
  readonly version: number;
  /** The Meta app of a Connect Meta configuration (its rate-limit app key). */
  readonly metaAppId?: string;
}

interface CacheEntry {
  readonly resolved: ResolvedSavedConfiguration;
  readonly sharing: Configuration['sharing'];
  readonly loadedAt: number;
}

/** A safety net only: invalidations normally drop entries at once; this bounds a missed message. */
const CACHE_TTL_MS = 5 * 60_000;
/** lastUsedAt is a hint, written at most this often per configuration (no write on the step hot path). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Turns a configuration id into credentials for the next card run, through an in-process cache
 * (docs/architecture.md §8: no store read per step). Every change goes through `invalidate`, which drops the
 * local entry and publishes the id on a Redis channel so every other process drops theirs: a rotated
 * token is seen by every flow at its next step, because flows hold ids, never secrets.
 */
export class ConfigurationResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly configurations: ConfigurationRepository,
    private readonly sealer: SecretSealer,
    private readonly redis: Redis,
    /** Redis channel of invalidations, e.g. `<prefix>:configurations:invalidate`. */
    readonly channel: string,
    private readonly clock: Clock,
    /** Adds the Meta app secret for appsecret_proof; without it, secrets are used as stored. */
    private readonly metaAppSecrets?: MetaAppSecretSupplier,
  ) {}

  /**
   * The configuration with opened secrets. With `user`, it must be one they may use (owner, shared
   * with the workspace or with them); otherwise, and when the id is unknown, it throws
   * FLOWCARD_ERR_CONFIGURATION_NOT_FOUND (404).
   */
  async resolve(id: string, user?: ConfigurationUser): Promise<ResolvedSavedConfiguration> {
    const now = this.clock.now().getTime();
    let entry = this.cache.get(id);
    if (!entry || now - entry.loadedAt > CACHE_TTL_MS) {
      const configuration = await this.configurations.findById(id);
      if (!configuration) {
        this.cache.delete(id);
        throw notFound(id);
      }
      const secrets = configuration.secrets ? this.sealer.open(configuration.secrets) : {};
      entry = {
        resolved: {
          id: configuration.id,
          workspaceId: configuration.workspaceId,
          ownerId: configuration.ownerId,
          connector: configuration.connector,
          kind: configuration.kind,
          status: configuration.status,
          version: configuration.version,
          // Connect Meta records the app: the rate limiter's app-wide budget is keyed by it.
          ...(configuration.externalIds.metaAppId ? { metaAppId: configuration.externalIds.metaAppId } : {}),
          values: configuration.values,
          secrets: this.metaAppSecrets ? await this.metaAppSecrets.supply(configuration, secrets) : secrets,
        },
        sharing: configuration.sharing,
        loadedAt: now,
      };
      this.cache.set(id, entry);
    }
    if (user && !usableBy(entry, user)) throw notFound(id);
    this.touch(id, now);
    return entry.resolved;
  }

  /** Drops the cached copy here and in every other process. Call after every change. */
  async invalidate(id: string): Promise<void> {
    this.drop(id);
    await this.redis.publish(this.channel, id);
  }

  /** Drops the local copy only (what the invalidation subscriber calls). */
  drop(id: string): void {
    this.cache.delete(id);
  }

  private touch(id: string, now: number): void {
    if (now - (this.touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.touched.set(id, now);
    // Fire and forget: recording use must never fail or slow down a run.
    this.configurations.touchLastUsed(id, new Date(now)).catch(() => undefined);
  }
}

function usableBy(entry: CacheEntry, user: ConfigurationUser): boolean {
  return mayUse({ ...entry.resolved, sharing: entry.sharing }, user);
}

function notFound(id: string): FlowcardError {
  return new FlowcardError(runtimeErrorCodes.FLOWCARD_ERR_CONFIGURATION_NOT_FOUND, { id });
}
