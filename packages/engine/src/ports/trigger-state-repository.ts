/**
 * What a trigger keeps between polls for one flow: the cursor (unix seconds of the newest item
 * seen) that the next poll filters on (`time_created > cursor`), moved only forward.
 */
export interface TriggerState {
  readonly flowId: string;
  /** Unix seconds; null before the first poll. */
  readonly cursor: number | null;
  readonly updatedAt: Date;
}

/**
 * Durable trigger state per flow: poll cursors, and the dedupe keys of items that already started a
 * run (the Redis SET NX gate is the fast path; this is the record that survives a Redis loss).
 */
export interface TriggerStateRepository {
  /** Null when the flow was never polled. */
  getState(flowId: string): Promise<TriggerState | null>;
  /** Stores `cursor` unless a newer one is stored already (concurrent pollers never move it back). */
  advanceCursor(flowId: string, cursor: number, at: Date): Promise<void>;
  /**
   * Records that these items started a run; returns the keys that were not recorded before (in
   * input order). Atomic per key: two callers claiming the same key get it once between them.
   */
  claimKeys(flowId: string, keys: readonly string[], at: Date): Promise<string[]>;
  /**
   * Gives claims back: their run could not be started, so the next webhook delivery or poll must be
   * able to claim them again (otherwise that item would never start a run).
   */
  releaseKeys(flowId: string, keys: readonly string[]): Promise<void>;
  /** Forgets a flow's state (flow deleted). */
  deleteFlow(flowId: string): Promise<void>;
}
