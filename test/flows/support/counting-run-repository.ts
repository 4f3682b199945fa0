import type {
  ListRunsQuery,
  ResumableRun,
  RunRecord,
  RunRepository,
  RunStepRecord,
} from '../../../packages/engine/src/ports/run-repository';

/**
 * The store's RunRepository, counting how many batch writes reach it, so a test can show that run
 * history is written in batches rather than once per step. Every call goes to the real repository.
 */
export class CountingRunRepository implements RunRepository {
  batches = 0;

  constructor(private readonly inner: RunRepository) {}

  claimRun(run: ResumableRun): Promise<boolean> {
    return this.inner.claimRun(run);
  }

  findResumable(id: string): Promise<ResumableRun | null> {
    return this.inner.findResumable(id);
  }

  listInFlight(query: { limit: number; afterId?: string }): Promise<ResumableRun[]> {
    return this.inner.listInFlight(query);
  }

  saveRuns(runs: readonly RunRecord[]): Promise<void> {
    this.batches += 1;
    return this.inner.saveRuns(runs);
  }

  saveSteps(steps: readonly RunStepRecord[]): Promise<void> {
    this.batches += 1;
    return this.inner.saveSteps(steps);
  }

  findRun(id: string): Promise<RunRecord | null> {
    return this.inner.findRun(id);
  }

  listRuns(query: ListRunsQuery): Promise<RunRecord[]> {
    return this.inner.listRuns(query);
  }

  listSteps(runId: string): Promise<RunStepRecord[]> {
    return this.inner.listSteps(runId);
  }
}
