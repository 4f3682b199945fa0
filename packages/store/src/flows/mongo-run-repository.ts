import type { AnyBulkWriteOperation, Model } from 'mongoose';
import {
  IN_FLIGHT_RUN_STATUSES,
  type ListRunsQuery,
  type PrunedRuns,
  type PruneRunsQuery,
  type ResumableRun,
  type RunRecord,
  type RunRepository,
  type RunStatus,
  type RunStepRecord,
} from '@flowcard/engine';
import { hasDuplicateKey } from './has-duplicate-key';
import { fromJsonText, toJsonText } from './json-text';
import { toRunError, toRunErrorDoc } from './run-error-schema';
import type { RunDoc } from './run-model';
import type { RunStepDoc } from './run-step-model';
import { writeByStoredIds } from './write-by-stored-ids';

const DEFAULT_LIST_LIMIT = 50;

/**
 * Run history, written in batches by the engine's RunHistoryWriter: each `saveRuns`/`saveSteps` is
 * one `distinct` and one `bulkWrite` (docs/architecture.md §8: a write per record slows down with the collection).
 */
export class MongoRunRepository implements RunRepository {
  constructor(
    private readonly runs: Model<RunDoc>,
    private readonly steps: Model<RunStepDoc>,
  ) {}

  /**
   * A plain insert with the run id as `_id` (inserts stay cheap on jongodb, upserts scan): the
   * unique `_id` refuses a second claim of the same run id, whoever comes second gets false.
   */
  async claimRun(run: ResumableRun): Promise<boolean> {
    const doc = {
      ...toRunDoc(run),
      ownerId: run.ownerId,
      specJson: run.spec ? JSON.stringify(run.spec) : null,
    };
    try {
      await this.runs.insertMany([doc]);
      return true;
    } catch (error) {
      if (!hasDuplicateKey(error)) throw error;
    }
    // A `blocked` record (the item arrived while the flow's configuration was unusable) is not a
    // run yet: the first claim after a reconnect turns it into one, in one guarded update, so a
    // replay and a backfill of the same item still start exactly one run.
    const { _id, ...fields } = doc;
    const upgraded = await this.runs.updateOne({ _id, status: 'blocked' }, { $set: fields }).exec();
    return upgraded.matchedCount === 1;
  }

  async findResumable(id: string): Promise<ResumableRun | null> {
    const doc = await this.runs.findById(id).lean<RunDoc>().exec();
    return doc ? toResumableRun(doc) : null;
  }

  async listInFlight(query: { limit: number; afterId?: string }): Promise<ResumableRun[]> {
    const filter: Record<string, unknown> = { status: { $in: [...IN_FLIGHT_RUN_STATUSES] } };
    if (query.afterId !== undefined) filter._id = { $gt: query.afterId };
    const docs = await this.runs.find(filter).sort({ _id: 1 }).limit(query.limit).lean<RunDoc[]>().exec();
    return docs.map(toResumableRun);
  }

  /**
   * New runs are inserted; stored ones are updated only while their revision is lower, so an older
   * record never replaces a newer one, and a batch written twice changes nothing.
   */
  async saveRuns(records: readonly RunRecord[]): Promise<void> {
    const latest = highestRevisions(records);
    if (latest.length === 0) return;
    await writeByStoredIds(
      this.runs,
      latest.map((run) => run.id),
      // Inserts first, then updates: the driver sends one command per run of same-kind operations.
      (stored) =>
        this.runs.bulkWrite([
          ...latest
            .filter((run) => !stored.has(run.id))
            .map((run) => ({ insertOne: { document: toRunDoc(run) } })),
          ...latest.filter((run) => stored.has(run.id)).map(guardedRunUpdate),
        ]),
    );
  }

  /** New attempts are inserted, stored ones replaced by id; the last record of an id in the batch wins. */
  async saveSteps(records: readonly RunStepRecord[]): Promise<void> {
    const latest = [...new Map(records.map((step) => [step.id, step])).values()];
    if (latest.length === 0) return;
    await writeByStoredIds(
      this.steps,
      latest.map((step) => step.id),
      // Inserts first, then replacements: the driver sends one command per run of same-kind operations.
      (stored) =>
        this.steps.bulkWrite([
          ...latest
            .filter((step) => !stored.has(step.id))
            .map((step) => ({ insertOne: { document: toRunStepDoc(step) } })),
          ...latest
            .filter((step) => stored.has(step.id))
            .map((step): AnyBulkWriteOperation<RunStepDoc> => ({
              replaceOne: { filter: { _id: step.id }, replacement: toRunStepDoc(step) },
            })),
        ]),
    );
  }

  async findRun(id: string): Promise<RunRecord | null> {
    const doc = await this.runs.findById(id).lean<RunDoc>().exec();
    return doc ? toRunRecord(doc) : null;
  }

  async listRuns(query: ListRunsQuery): Promise<RunRecord[]> {
    const filter: Record<string, unknown> = { flowId: query.flowId };
    if (query.status !== undefined) filter.status = query.status;
    if (query.createdBefore !== undefined) filter.createdAt = { $lt: query.createdBefore };
    const docs = await this.runs
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit ?? DEFAULT_LIST_LIMIT)
      .lean<RunDoc[]>()
      .exec();
    return docs.map(toRunRecord);
  }

  /**
   * Reads the ids to delete (oldest finished runs first: by age, then beyond the count to keep),
   * then deletes their step records and the runs: two `deleteMany` per call whatever the count.
   */
  async pruneRuns(query: PruneRunsQuery): Promise<PrunedRuns> {
    const limit = query.limit ?? 1000;
    const finished = { status: { $in: ['succeeded', 'failed'] as RunStatus[] } };
    const ids = new Set<string>();
    const oldest = async (filter: Record<string, unknown>, count: number): Promise<void> => {
      if (count <= 0) return;
      const docs = await this.runs
        .find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .limit(count)
        .lean<RunDoc[]>()
        .exec();
      for (const doc of docs) ids.add(doc._id);
    };
    if (query.finishedBefore) await oldest({ ...finished, finishedAt: { $lt: query.finishedBefore } }, limit);
    if (query.keepNewest !== undefined && ids.size < limit) {
      const excess = (await this.runs.countDocuments(finished).exec()) - query.keepNewest;
      // The `excess` oldest finished runs; some may be chosen by age already (the union is deleted).
      await oldest(finished, Math.min(excess, limit));
    }
    const chosen = [...ids].slice(0, limit);
    if (chosen.length === 0) return { runs: 0, steps: 0 };
    const steps = await this.steps.deleteMany({ runId: { $in: chosen } }).exec();
    const runs = await this.runs.deleteMany({ _id: { $in: chosen } }).exec();
    return { runs: runs.deletedCount, steps: steps.deletedCount };
  }

  async listSteps(runId: string): Promise<RunStepRecord[]> {
    const docs = await this.steps
      .find({ runId })
      .sort({ startedAt: 1, attempt: 1 })
      .lean<RunStepDoc[]>()
      .exec();
    return docs.map(toRunStepRecord);
  }
}

/** One record per run id, the highest revision: two in one batch would otherwise race each other. */
function highestRevisions(records: readonly RunRecord[]): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  for (const run of records) {
    const kept = byId.get(run.id);
    if (!kept || kept.revision < run.revision) byId.set(run.id, run);
  }
  return [...byId.values()];
}

function guardedRunUpdate(run: RunRecord): AnyBulkWriteOperation<RunDoc> {
  const { _id, ...fields } = toRunDoc(run);
  return { updateOne: { filter: { _id, revision: { $lt: run.revision } }, update: { $set: fields } } };
}

function toRunDoc(run: RunRecord): RunDoc {
  return {
    _id: run.id,
    flowId: run.flowId,
    workspaceId: run.workspaceId,
    flowVersion: run.flowVersion,
    status: run.status,
    triggerOutputJson: toJsonText(run.triggerOutput),
    dedupeKey: run.dedupeKey,
    currentStepId: run.currentStepId,
    error: toRunErrorDoc(run.error),
    revision: run.revision,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
  };
}

function toRunRecord(doc: RunDoc): RunRecord {
  return {
    id: doc._id,
    flowId: doc.flowId,
    workspaceId: doc.workspaceId,
    flowVersion: doc.flowVersion,
    status: doc.status,
    triggerOutput: fromJsonText(doc.triggerOutputJson),
    dedupeKey: doc.dedupeKey ?? null,
    currentStepId: doc.currentStepId ?? null,
    error: toRunError(doc.error),
    revision: doc.revision,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    finishedAt: doc.finishedAt ?? null,
  };
}

function toResumableRun(doc: RunDoc): ResumableRun {
  return {
    ...toRunRecord(doc),
    ownerId: doc.ownerId ?? '',
    spec: doc.specJson ? (JSON.parse(doc.specJson) as NonNullable<ResumableRun['spec']>) : null,
  };
}

function toRunStepDoc(step: RunStepRecord): RunStepDoc {
  return {
    _id: step.id,
    runId: step.runId,
    flowId: step.flowId,
    stepId: step.stepId,
    attempt: step.attempt,
    status: step.status,
    inputJson: toJsonText(step.input),
    outputJson: toJsonText(step.output),
    error: toRunErrorDoc(step.error),
    durationMs: step.durationMs,
    startedAt: step.startedAt,
  };
}

function toRunStepRecord(doc: RunStepDoc): RunStepRecord {
  return {
    id: doc._id,
    runId: doc.runId,
    flowId: doc.flowId,
    stepId: doc.stepId,
    attempt: doc.attempt,
    status: doc.status,
    input: fromJsonText(doc.inputJson),
    output: fromJsonText(doc.outputJson),
    error: toRunError(doc.error),
    durationMs: doc.durationMs,
    startedAt: doc.startedAt,
  };
}
