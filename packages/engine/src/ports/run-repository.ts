import type { FlowSpec } from '@flowcard/schemas';
import type { FlowSignal } from '@flowcard/sdk';

/**
 * `filtered`: a core/filter step's condition was false: the run ended early, on purpose.
 * `blocked`: a trigger item arrived for a flow whose configuration is gone or unusable; nothing ran
 * yet, and replaying it (once reconnected) turns it into the run it would have been.
 */
export type RunStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'waiting_for_reauth' | 'filtered' | 'blocked';

/** What ended or stopped a run or a step attempt: a registered code, a message, the signal. */
export interface RunError {
  readonly code: string;
  readonly message: string;
  readonly signal: FlowSignal | null;
  /** For permission failures: the permission that is missing. */
  readonly permission?: string;
  /** The step where it happened. */
  readonly stepId?: string;
}

/** One execution of a flow. */
export interface RunRecord {
  readonly id: string;
  readonly flowId: string;
  readonly workspaceId: string;
  /** The flow version the run executes (runs keep their spec even when the flow is edited). */
  readonly flowVersion: number;
  readonly status: RunStatus;
  /** The trigger card's output: what `{{trigger.output.x}}` reads. */
  readonly triggerOutput: unknown;
  /** The trigger item's dedupe key (e.g. the lead id), when a trigger started the run. */
  readonly dedupeKey: string | null;
  /** The step running, parked or failed; null when finished. */
  readonly currentStepId: string | null;
  readonly error: RunError | null;
  /**
   * Incremented at every transition. A store keeps the record with the highest revision, so
   * batched writes arriving out of order never move a run backwards.
   */
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

export type RunStepStatus = 'succeeded' | 'failed' | 'retrying' | 'delayed' | 'parked' | 'skipped';

/** One attempt of one step (one document each: no growing arrays). */
export interface RunStepRecord {
  /** `${runId}:${stepId}:${attempt}`: writing the same attempt twice is idempotent. */
  readonly id: string;
  readonly runId: string;
  readonly flowId: string;
  readonly stepId: string;
  /** 1-based execution number of this step within the run. */
  readonly attempt: number;
  readonly status: RunStepStatus;
  /** The rendered input with secrets redacted. */
  readonly input: unknown;
  readonly output: unknown;
  readonly error: RunError | null;
  readonly durationMs: number;
  readonly startedAt: Date;
}

/**
 * What a run needs to be resumed from the store alone (after Redis lost its live state): the
 * record plus the flow spec snapshot and owner written when the run was claimed.
 */
export interface ResumableRun extends RunRecord {
  readonly ownerId: string;
  /** The spec snapshot taken at the claim; null for runs stored before claims carried it. */
  readonly spec: FlowSpec | null;
}

/** Statuses of a run that is not finished: the reconciler looks after these. */
export const IN_FLIGHT_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting_for_reauth'];

export interface ListRunsQuery {
  readonly flowId: string;
  readonly status?: RunStatus;
  /** Only runs created before this time (paging, newest first). */
  readonly createdBefore?: Date;
  /** Default 50. */
  readonly limit?: number;
}

/**
 * Run history. Written in batches by the engine's RunHistoryWriter (never one synchronous write
 * per step); both writes are idempotent so a batch may be written twice.
 */
export interface RunRepository {
  /**
   * The durable claim of a run, and the first write of its record: inserts it (status `queued`,
   * revision 0, with the spec snapshot) unless a run with this id is stored. True when this call
   * inserted it. Atomic per id: of two concurrent claims of one id exactly one gets true. The run
   * id is derived from flow + trigger item, so this is also the "one run per item" gate.
   */
  claimRun(run: ResumableRun): Promise<boolean>;
  /** The stored run with its spec snapshot, or null. */
  findResumable(id: string): Promise<ResumableRun | null>;
  /** Runs whose stored status is in flight (IN_FLIGHT_RUN_STATUSES), by id, a page at a time. */
  listInFlight(query: { limit: number; afterId?: string }): Promise<ResumableRun[]>;
  /** Upserts each run unless the stored one has an equal or higher revision. */
  saveRuns(runs: readonly RunRecord[]): Promise<void>;
  /** Upserts step attempts by id. */
  saveSteps(steps: readonly RunStepRecord[]): Promise<void>;
  findRun(id: string): Promise<RunRecord | null>;
  /** Newest first. */
  listRuns(query: ListRunsQuery): Promise<RunRecord[]>;
  /** Ordered by startedAt, then attempt. */
  listSteps(runId: string): Promise<RunStepRecord[]>;
}
