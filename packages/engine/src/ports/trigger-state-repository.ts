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
 * Durable trigger state per flow: the poll cursor. (Which items already started a run is not kept
 * here: the run record itself, claimed in the store under an id derived from flow + item, is that
 * record; see RunRepository.claimRun.)
 */
export interface TriggerStateRepository {
  /** Null when the flow was never polled. */
  getState(flowId: string): Promise<TriggerState | null>;
  /** Stores `cursor` unless a newer one is stored already (concurrent pollers never move it back). */
  advanceCursor(flowId: string, cursor: number, at: Date): Promise<void>;
  /** Forgets a flow's state (flow deleted). */
  deleteFlow(flowId: string): Promise<void>;
}
