import type { ResumableRun, RunRecord, RunStepRecord } from '../run-repository';
import { unique, type StoreGetter } from './conformance-context';

const SECOND = 1000;
const T0 = new Date('2026-05-01T10:00:00.000Z').getTime();

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  const createdAt = overrides.createdAt ?? new Date(T0);
  return {
    id: unique('run'),
    flowId: unique('flow'),
    workspaceId: unique('ws'),
    flowVersion: 1,
    status: 'queued',
    triggerOutput: { id: 'lead-1', fields: { email: 'ada@example.com' } },
    dedupeKey: null,
    currentStepId: null,
    error: null,
    revision: 1,
    createdAt,
    updatedAt: createdAt,
    finishedAt: null,
    ...overrides,
  };
}

function step(
  runRecord: RunRecord,
  stepId: string,
  attempt: number,
  overrides: Partial<RunStepRecord> = {},
): RunStepRecord {
  return {
    id: `${runRecord.id}:${stepId}:${attempt}`,
    runId: runRecord.id,
    flowId: runRecord.flowId,
    stepId,
    attempt,
    status: 'succeeded',
    input: { text: 'hello' },
    output: { id: `${stepId}-${attempt}` },
    error: null,
    durationMs: 12,
    startedAt: new Date(T0 + attempt * SECOND),
    ...overrides,
  };
}

/** The same run further on: what the engine writes at its next transition. */
function later(record: RunRecord, revision: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    ...record,
    revision,
    updatedAt: new Date(record.updatedAt.getTime() + revision * SECOND),
    ...overrides,
  };
}

function claim(overrides: Partial<ResumableRun> = {}): ResumableRun {
  return {
    ...run({ revision: 0, currentStepId: 'post', dedupeKey: 'lead-7' }),
    ownerId: unique('user'),
    spec: {
      name: 'Lead to post',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg1', input: { pageId: '1' } },
      steps: [{ id: 'post', card: 'workplace/post-to-group@1', configurationId: 'cfg2', input: {} }],
    },
    ...overrides,
  };
}

/** The plain record of a claimed run (what findRun returns). */
function recordOf(claimed: ResumableRun): RunRecord {
  return Object.fromEntries(
    Object.entries(claimed).filter(([key]) => key !== 'ownerId' && key !== 'spec'),
  ) as unknown as RunRecord;
}

export function describeRunContract(store: StoreGetter): void {
  describe('run claims', () => {
    it('inserts a claimed run once: the second claim of the same id gets false and changes nothing', async () => {
      const first = claim();
      expect(await store().runs.claimRun(first)).toBe(true);
      expect(await store().runs.claimRun({ ...first, triggerOutput: 'other', ownerId: 'someone' })).toBe(
        false,
      );
      expect(await store().runs.findResumable(first.id)).toEqual(first);
      expect(await store().runs.findRun(first.id)).toEqual(recordOf(first));
    });

    it('gives a run id to exactly one of many concurrent claimers', async () => {
      const contested = claim();
      const won = await Promise.all(Array.from({ length: 8 }, () => store().runs.claimRun(contested)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('keeps the spec snapshot and owner when the history writer moves the run forward', async () => {
      const claimed = claim();
      await store().runs.claimRun(claimed);
      const succeeded = later(recordOf(claimed), 3, { status: 'succeeded', currentStepId: null });
      await store().runs.saveRuns([succeeded]);
      expect(await store().runs.findResumable(claimed.id)).toEqual({
        ...succeeded,
        ownerId: claimed.ownerId,
        spec: claimed.spec,
      });
    });

    it('lists unfinished runs by id, a page at a time, and no finished ones', async () => {
      const inFlight = [claim(), claim({ status: 'running' }), claim({ status: 'waiting_for_reauth' })].sort(
        (a, b) => (a.id < b.id ? -1 : 1),
      );
      for (const record of inFlight) await store().runs.claimRun(record);
      const done = claim({ status: 'succeeded' });
      await store().runs.claimRun(done);
      const ids = new Set(inFlight.map((record) => record.id));
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await store().runs.listInFlight({ limit: 2, ...(afterId ? { afterId } : {}) });
        seen.push(...page.map((record) => record.id));
        if (page.length < 2) break;
        afterId = page[page.length - 1]?.id;
      }
      expect(seen.filter((id) => ids.has(id))).toEqual(inFlight.map((record) => record.id));
      expect(seen).not.toContain(done.id);
      expect([...seen].sort()).toEqual(seen);
    });
  });

  describe('run history', () => {
    it('saves runs that read back field for field, including free-form trigger output and errors', async () => {
      const failed = run({
        status: 'failed',
        dedupeKey: 'lead-42',
        currentStepId: 'post',
        triggerOutput: { $id: 'x', 'field.with.dots': [1, { nested: null }], empty: {} },
        error: {
          code: 'FLOWCARD_ERR_RUN_PERMISSION',
          message: 'Missing permission',
          signal: 'permission',
          permission: 'pages_manage_posts',
          stepId: 'post',
        },
        finishedAt: new Date(T0 + 5 * SECOND),
      });
      const queued = run({ triggerOutput: 'plain text' });
      const waiting = run({
        status: 'waiting_for_reauth',
        error: { code: 'FLOWCARD_ERR_RUN_AUTH', message: 'Token expired', signal: 'auth' },
      });
      await store().runs.saveRuns([failed, queued, waiting]);
      expect(await store().runs.findRun(failed.id)).toEqual(failed);
      expect(await store().runs.findRun(queued.id)).toEqual(queued);
      expect(await store().runs.findRun(waiting.id)).toEqual(waiting);
      expect(await store().runs.findRun(unique('missing'))).toBeNull();
    });

    it('moves a run forward by revision and never back, whatever order the batches arrive in', async () => {
      const queued = run();
      const running = later(queued, 2, { status: 'running', currentStepId: 'post' });
      const succeeded = later(queued, 3, {
        status: 'succeeded',
        currentStepId: null,
        finishedAt: new Date(T0 + 9 * SECOND),
      });
      await store().runs.saveRuns([running]);
      await store().runs.saveRuns([succeeded]);
      await store().runs.saveRuns([queued]);
      await store().runs.saveRuns([running]);
      expect(await store().runs.findRun(queued.id)).toEqual(succeeded);
    });

    it('keeps the highest revision when one batch holds several records of a run', async () => {
      const queued = run();
      const succeeded = later(queued, 3, { status: 'succeeded' });
      await store().runs.saveRuns([queued, succeeded, later(queued, 2, { status: 'running' })]);
      expect(await store().runs.findRun(queued.id)).toEqual(succeeded);
    });

    it('applies the newer records of a batch even when others in it are older than what is stored', async () => {
      const stale = run();
      const stored = later(stale, 5, { status: 'succeeded' });
      await store().runs.saveRuns([stored]);
      const advancing = run();
      await store().runs.saveRuns([advancing]);
      const fresh = run();
      const advanced = later(advancing, 2, { status: 'running' });
      await store().runs.saveRuns([advanced, stale, fresh, later(stale, 5, { status: 'failed' })]);
      expect(await store().runs.findRun(stale.id)).toEqual(stored);
      expect(await store().runs.findRun(advancing.id)).toEqual(advanced);
      expect(await store().runs.findRun(fresh.id)).toEqual(fresh);
    });

    it('accepts the same batch written twice, and concurrent batches of one run keep the highest revision', async () => {
      const batch = [run(), run(), run()];
      await store().runs.saveRuns(batch);
      await store().runs.saveRuns(batch);
      for (const record of batch) expect(await store().runs.findRun(record.id)).toEqual(record);
      const queued = run();
      const revisions = [1, 2, 3, 4, 5, 6].map((revision) =>
        later(queued, revision, { status: revision === 6 ? 'succeeded' : 'running' }),
      );
      await Promise.all(revisions.map((record) => store().runs.saveRuns([record])));
      expect(await store().runs.findRun(queued.id)).toEqual(revisions[5]);
    });

    it('saves a large batch of runs and steps', async () => {
      const flowId = unique('flow');
      const runs = Array.from({ length: 300 }, (_, index) =>
        run({ flowId, createdAt: new Date(T0 + index * SECOND) }),
      );
      const steps = runs.flatMap((record) => [
        step(record, 'post', 1),
        step(record, 'notify', 1, { startedAt: new Date(T0 + 2 * SECOND) }),
      ]);
      await store().runs.saveRuns(runs);
      await store().runs.saveSteps(steps);
      expect(await store().runs.listRuns({ flowId, limit: 1000 })).toHaveLength(300);
      expect(await store().runs.listSteps(runs[299]?.id ?? '')).toEqual([steps[598], steps[599]]);
    });

    it("lists a flow's runs newest first, filtered by status and created before a time, up to a limit", async () => {
      const flowId = unique('flow');
      const at = (seconds: number): Date => new Date(T0 + seconds * SECOND);
      const first = run({ flowId, createdAt: at(1), status: 'succeeded' });
      const second = run({ flowId, createdAt: at(2), status: 'failed' });
      const third = run({ flowId, createdAt: at(3), status: 'succeeded' });
      const fourth = run({ flowId, createdAt: at(4), status: 'running' });
      await store().runs.saveRuns([second, fourth, first, third, run({ createdAt: at(5) })]);
      expect((await store().runs.listRuns({ flowId })).map((r) => r.id)).toEqual([
        fourth.id,
        third.id,
        second.id,
        first.id,
      ]);
      expect(await store().runs.listRuns({ flowId, status: 'succeeded' })).toEqual([third, first]);
      expect((await store().runs.listRuns({ flowId, createdBefore: at(3) })).map((r) => r.id)).toEqual([
        second.id,
        first.id,
      ]);
      expect((await store().runs.listRuns({ flowId, limit: 2 })).map((r) => r.id)).toEqual([
        fourth.id,
        third.id,
      ]);
      expect(await store().runs.listRuns({ flowId: unique('flow') })).toEqual([]);
    });

    it('returns at most 50 runs when no limit is given', async () => {
      const flowId = unique('flow');
      await store().runs.saveRuns(
        Array.from({ length: 51 }, (_, index) => run({ flowId, createdAt: new Date(T0 + index * SECOND) })),
      );
      expect(await store().runs.listRuns({ flowId })).toHaveLength(50);
    });

    it("keeps one record per step attempt, replaced by id, and lists a run's attempts in the order they started", async () => {
      const record = run();
      const retried = step(record, 'post', 1, {
        status: 'retrying',
        output: undefined,
        input: { $where: 'x', 'a.b': true },
        error: { code: 'FLOWCARD_ERR_RUN_TRANSIENT', message: 'Graph said try again', signal: 'retry' },
      });
      const parked = step(record, 'post', 2, { status: 'parked', output: null });
      const notify = step(record, 'notify', 1, { startedAt: new Date(T0 + 10 * SECOND) });
      await store().runs.saveSteps([notify, parked, retried]);
      await store().runs.saveSteps([parked]);
      const resumed = { ...parked, status: 'succeeded' as const, output: { id: 'post-2' }, durationMs: 40 };
      await store().runs.saveSteps([resumed]);
      await store().runs.saveSteps([step(run(), 'post', 1)]);
      expect(await store().runs.listSteps(record.id)).toEqual([retried, resumed, notify]);
      expect(await store().runs.listSteps(unique('run'))).toEqual([]);
    });

    it('orders attempts that started in the same millisecond by attempt number', async () => {
      const record = run();
      const startedAt = new Date(T0);
      const attempts = [3, 1, 2].map((attempt) => step(record, 'post', attempt, { startedAt }));
      await store().runs.saveSteps(attempts);
      expect((await store().runs.listSteps(record.id)).map((s) => s.attempt)).toEqual([1, 2, 3]);
    });

    it('keeps the last record of an attempt when one batch holds it twice', async () => {
      const record = run();
      const first = step(record, 'post', 1, { status: 'retrying' });
      const last = { ...first, status: 'failed' as const };
      await store().runs.saveSteps([first, last]);
      expect(await store().runs.listSteps(record.id)).toEqual([last]);
    });
  });
}
