import type { FlowSpec } from '@flowcard/schemas';

/** A saved flow: the spec as validated on save, plus ownership, state and routing. */
export interface FlowDocument {
  readonly id: string;
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly spec: FlowSpec;
  readonly enabled: boolean;
  /**
   * Where the trigger listens, computed by the engine on save (`flowTriggerKey`): e.g.
   * `meta:page:leadgen:<pageId>` for a Lead Ads webhook trigger; null for triggers without a route
   * (polling-only, manual). Webhook routing lists enabled flows by this key.
   */
  readonly triggerKey: string | null;
  /** Incremented by every update; optimistic concurrency, and runs record which version they ran. */
  readonly version: number;
  /**
   * Set when a configuration the flow uses was removed or stopped working: the flow stays enabled
   * (its trigger items are still received) but they become `blocked` runs until it is reconnected.
   * Absent or null when the flow runs normally.
   */
  readonly paused?: FlowPause | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Why a flow is paused, and what would let it run again. */
export interface FlowPause {
  /** Machine-readable, e.g. `configuration_removed`. */
  readonly code: string;
  /** In words, for the flow's owner. */
  readonly reason: string;
  readonly at: Date;
  /** The configurations whose loss paused it, with what identifies a replacement (page id…). */
  readonly configurations: ReadonlyArray<{
    readonly id: string;
    readonly connector: string;
    readonly nickname: string;
    readonly externalIds: Readonly<Record<string, string>>;
  }>;
}

export interface NewFlow {
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly spec: FlowSpec;
  /** Default false: a flow is enabled explicitly, after it validated. */
  readonly enabled?: boolean;
  readonly triggerKey?: string | null;
}

/** Fields an update may change; omitted = unchanged. The spec is replaced whole. */
export interface FlowPatch {
  readonly spec?: FlowSpec;
  readonly enabled?: boolean;
  readonly triggerKey?: string | null;
  /** Transfer. */
  readonly ownerId?: string;
  /** Pause (a FlowPause) or un-pause (null). */
  readonly paused?: FlowPause | null;
}

export interface ListFlowsQuery {
  readonly workspaceId: string;
  readonly enabled?: boolean;
  /** Page after this id (ordered by id). */
  readonly afterId?: string;
  /** Default 100. */
  readonly limit?: number;
}

export interface ListEnabledFlowsQuery {
  /** Page after this id (ordered by id). */
  readonly afterId?: string;
  readonly limit: number;
}

/**
 * Saved flows. Throws FlowcardErrors: FLOWCARD_ERR_STORE_VERSION_CONFLICT when `expectedVersion` is
 * stale, FLOWCARD_ERR_STORE_NOT_FOUND when the id is unknown.
 */
export interface FlowRepository {
  create(input: NewFlow): Promise<FlowDocument>;
  findById(id: string): Promise<FlowDocument | null>;
  /** Ordered by id. */
  listByWorkspace(query: ListFlowsQuery): Promise<FlowDocument[]>;
  /** Enabled flows whose trigger listens on `triggerKey`, ordered by id (webhook routing). */
  listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]>;
  /** Every enabled flow, paged by id (scheduler reconciliation at startup). */
  listEnabled(query: ListEnabledFlowsQuery): Promise<FlowDocument[]>;
  /** Enabled flows using the configuration in their trigger or any step (resume and backfill after re-authorisation). */
  listEnabledByConfiguration(configurationId: string): Promise<FlowDocument[]>;
  /** Applies `patch` if the stored version is `expectedVersion`; returns the new state (version + 1). */
  update(id: string, expectedVersion: number, patch: FlowPatch): Promise<FlowDocument>;
  /** False when already gone. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}
