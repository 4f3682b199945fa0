import type { FlowDocument, FlowRepository } from '../ports/flow-repository';

export interface FlowCacheOptions {
  repository: FlowRepository;
  /** Entries older than this are read again even without an invalidation. Default 30 s. */
  maxAgeMs?: number;
}

/**
 * Read-through cache of flows for the trigger path (webhook routing, polls): the store is read
 * once per flow and per route key, not per lead. `invalidate(flowId)` must be called when a flow is
 * saved, enabled, disabled or deleted; it also drops every route list (a flow may change route).
 */
export class FlowCache {
  private readonly byId = new Map<string, { value: Promise<FlowDocument | null>; at: number }>();
  private readonly byRoute = new Map<string, { value: Promise<FlowDocument[]>; at: number }>();
  private readonly maxAgeMs: number;

  constructor(private readonly options: FlowCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
  }

  get(flowId: string): Promise<FlowDocument | null> {
    return this.read(this.byId, flowId, () => this.options.repository.findById(flowId));
  }

  /** Enabled flows listening on a trigger key. */
  listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]> {
    return this.read(this.byRoute, triggerKey, () =>
      this.options.repository.listEnabledByTriggerKey(triggerKey),
    );
  }

  invalidate(flowId: string): void {
    this.byId.delete(flowId);
    this.byRoute.clear();
  }

  private read<T>(
    map: Map<string, { value: Promise<T>; at: number }>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && now - hit.at < this.maxAgeMs) return hit.value;
    const value = load();
    map.set(key, { value, at: now });
    value.catch(() => map.delete(key));
    return value;
  }
}
