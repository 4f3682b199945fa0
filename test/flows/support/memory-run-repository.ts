import {
  IN_FLIGHT_RUN_STATUSES,
  type ListRunsQuery,
  type ResumableRun,
  type RunRecord,
  type RunRepository,
  type RunStepRecord,
} from '../../../packages/engine/src/ports/run-repository';

/**
 * The RunRepository port in memory: the reference behaviour (revision-gated run upserts, steps by
 * id) for engine tests that are about Redis and BullMQ, not MongoDB. It also counts writes, so a test
 * can show that history is written in batches.
 */
export class MemoryRunRepository implements RunRepository {
  readonly runs = new Map<string, RunRecord>();
  readonly steps = new Map<string, RunStepRecord>();
  readonly snapshots = new Map<string, Pick<ResumableRun, 'ownerId' | 'spec'>>();
  batches = 0;

  async claimRun(run: ResumableRun): Promise<boolean> {
    if (this.runs.has(run.id)) return false;
    const { ownerId, spec, ...record } = run;
    this.runs.set(run.id, record);
    this.snapshots.set(run.id, { ownerId, spec });
    return true;
  }

  async findResumable(id: string): Promise<ResumableRun | null> {
    const record = this.runs.get(id);
    return record ? { ...record, ...(this.snapshots.get(id) ?? { ownerId: '', spec: null }) } : null;
  }

  async listInFlight(query: { limit: number; afterId?: string }): Promise<ResumableRun[]> {
    const ids = [...this.runs.values()]
      .filter((run) => IN_FLIGHT_RUN_STATUSES.includes(run.status))
      .map((run) => run.id)
      .filter((id) => query.afterId === undefined || id > query.afterId)
      .sort()
      .slice(0, query.limit);
    return Promise.all(ids.map(async (id) => (await this.findResumable(id)) as ResumableRun));
  }

  async saveRuns(runs: readonly RunRecord[]): Promise<void> {
    this.batches += 1;
    for (const run of runs) {
      const stored = this.runs.get(run.id);
      if (!stored || stored.revision < run.revision) this.runs.set(run.id, run);
    }
  }

  async saveSteps(steps: readonly RunStepRecord[]): Promise<void> {
    this.batches += 1;
    for (const step of steps) this.steps.set(step.id, step);
  }

  async findRun(id: string): Promise<RunRecord | null> {
    return this.runs.get(id) ?? null;
  }

  async listRuns(query: ListRunsQuery): Promise<RunRecord[]> {
    return [...this.runs.values()]
      .filter((run) => run.flowId === query.flowId && (!query.status || run.status === query.status))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, query.limit ?? 50);
  }

  async listSteps(runId: string): Promise<RunStepRecord[]> {
    return [...this.steps.values()]
      .filter((step) => step.runId === runId)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.attempt - b.attempt);
  }
}
