import type { RunRecord } from '@flowcard/engine';
import { openMongoStore, type OpenedMongoStore } from '@flowcard/store';
import { mongoUri, uniqueName } from '../../../test/support/env';
import { pruneRunHistory } from './history-retention-service';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-06-30T12:00:00.000Z');

function run(id: string, status: RunRecord['status'], daysAgo: number): RunRecord {
  const at = new Date(NOW.getTime() - daysAgo * DAY);
  return {
    id,
    flowId: 'flow-1',
    workspaceId: 'ws-1',
    flowVersion: 1,
    status,
    triggerOutput: null,
    dedupeKey: null,
    currentStepId: null,
    error: null,
    revision: 3,
    createdAt: at,
    updatedAt: at,
    finishedAt: status === 'succeeded' || status === 'failed' ? at : null,
  };
}

describe('run history retention', () => {
  let opened: OpenedMongoStore;
  beforeAll(async () => {
    opened = await openMongoStore({ uri: mongoUri(), dbName: uniqueName(__filename) });
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('deletes finished runs past the age and beyond the count, with their steps, and never unfinished runs', async () => {
    const runs = opened.store.runs;
    await runs.saveRuns([
      run('r-40d', 'succeeded', 40),
      run('r-20d', 'failed', 20),
      run('r-3d', 'succeeded', 3),
      run('r-2d', 'succeeded', 2),
      run('r-1d', 'succeeded', 1),
      run('r-running-30d', 'running', 30),
      run('r-waiting-60d', 'waiting_for_reauth', 60),
    ]);
    await runs.saveSteps([
      {
        id: 'r-40d:post:1',
        runId: 'r-40d',
        flowId: 'flow-1',
        stepId: 'post',
        attempt: 1,
        status: 'succeeded',
        input: {},
        output: {},
        error: null,
        durationMs: 5,
        startedAt: new Date(NOW.getTime() - 40 * DAY),
      },
    ]);
    // Age 14 days removes r-40d and r-20d; then at most 2 finished runs are kept: r-3d goes too.
    expect(await pruneRunHistory(runs, { maxAgeDays: 14, maxRuns: 2, pruneIntervalMs: 60_000 }, NOW)).toEqual(
      {
        runs: 3,
        steps: 1,
      },
    );
    expect((await runs.listRuns({ flowId: 'flow-1' })).map((r) => r.id)).toEqual([
      'r-1d',
      'r-2d',
      'r-running-30d',
      'r-waiting-60d',
    ]);
    // Both rules off: nothing is touched.
    expect(await pruneRunHistory(runs, { maxAgeDays: 0, maxRuns: 0, pruneIntervalMs: 60_000 }, NOW)).toEqual({
      runs: 0,
      steps: 0,
    });
  });
});
