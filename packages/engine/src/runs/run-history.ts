import type { ListRunsQuery, RunRecord, RunRepository, RunStepRecord } from '../ports/run-repository';
import { reviveStep } from './run-history-writer';
import { liveRunToRecord, type HistoryEntry, type RunStateStore } from './run-state-store';

/**
 * Reads run history the way the API shows it: the store merged with what is still live in Redis
 * (a run's current state, step attempts not yet flushed), so a run is visible the moment it starts.
 */
export class RunHistory {
  constructor(
    private readonly state: RunStateStore,
    private readonly repository: RunRepository,
  ) {}

  /** The live state when Redis still has it (always the newest), else the stored record. */
  async getRun(runId: string): Promise<RunRecord | null> {
    const live = await this.state.load(runId);
    if (live) return liveRunToRecord(live);
    return this.repository.findRun(runId);
  }

  /** Newest first; runs waiting in the outbox are included, live states replace stored ones. */
  async listRuns(query: ListRunsQuery): Promise<RunRecord[]> {
    const stored = await this.repository.listRuns(query);
    const byId = new Map(stored.map((run) => [run.id, run]));
    const pendingIds = new Set<string>();
    for (const entry of await this.outbox()) if (entry.kind === 'run') pendingIds.add(entry.id);
    for (const id of [...pendingIds, ...byId.keys()]) {
      const live = await this.state.load(id);
      if (live && live.flowId === query.flowId) byId.set(id, liveRunToRecord(live));
    }
    return [...byId.values()]
      .filter((run) => (query.status ? run.status === query.status : true))
      .filter((run) => (query.createdBefore ? run.createdAt < query.createdBefore : true))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, query.limit ?? 50);
  }

  /** Every attempt of every step, in the order they started. */
  async listSteps(runId: string): Promise<RunStepRecord[]> {
    // The outbox first: the writer stores a batch before trimming it, so a record is in the outbox,
    // the store or both at any time. Read the other way round, a batch written between the two reads
    // would be in neither answer.
    const pending = await this.outbox();
    const byId = new Map((await this.repository.listSteps(runId)).map((step) => [step.id, step]));
    for (const entry of pending) {
      if (entry.kind === 'step' && entry.record.runId === runId)
        byId.set(entry.record.id, reviveStep(entry.record));
    }
    return [...byId.values()].sort(
      (a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.attempt - b.attempt,
    );
  }

  private async outbox(): Promise<HistoryEntry[]> {
    const raw = await this.state.redis.lrange(this.state.outboxKey, 0, -1);
    return raw.map((line) => JSON.parse(line) as HistoryEntry);
  }
}
