import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFlowcardProcess, type FlowcardProcess } from '../support/flowcard-process';
import { waitFor } from '../support/wait-for';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Pids of every descendant of `pid` (jongodb, the esbuild helper…), from ps. */
function descendants(pid: number): number[] {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Waits for a run to finish and returns it; a run that fails or stalls fails the test with its record. */
async function finishedRun(base: string, key: string, runId: string): Promise<Json> {
  let last: Json = {};
  try {
    return await waitFor(
      `run ${runId} to finish`,
      async () => {
        last = (await api(base, `/v1/runs/${runId}`, { key })).body;
        return ['succeeded', 'failed', 'waiting_for_reauth'].includes(last.run?.status) && last.run;
      },
      60_000,
      200,
    );
  } catch (error) {
    throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}`);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function api(base: string, path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
}

/**
 * `flowcard start` on embedded defaults, stopped with SIGTERM (Ctrl+C) and with SIGKILL, started
 * again on the same data directory: the workspace, its API key, a configuration whose sealed token
 * still opens (connection test and a flow run against the emulator), the flow and its run history
 * are all there.
 */
describe('the embedded runtime keeps its data across restarts', () => {
  jest.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-embedded-'));
  const env = {
    FLOWCARD_DATA_DIR: dataDir,
    FLOWCARD_REDIS_PREFIX: `hperf-persist-${randomBytes(4).toString('hex')}`,
    FLOWCARD_EMBEDDED_SNAPSHOT_MS: '300',
    LOG_LEVEL: 'info',
  };
  let runtime: FlowcardProcess | undefined;
  const start = async (): Promise<FlowcardProcess> =>
    (runtime = await startFlowcardProcess('start', env, 120_000));
  const base = (): string => runtime!.url.replace('localhost', '127.0.0.1');

  let apiKey = '';
  let configurationId = '';
  let flowId = '';
  let runId = '';
  let groupId = '';

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start: a workspace, a Workplace configuration, a flow and a finished run', async () => {
    await start();
    expect(runtime!.output()).toContain(`Data: ${dataDir}`);
    expect(runtime!.output()).toContain('Move to MongoDB: set MONGODB_URI');
    const keyFile = join(dataDir, 'master-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    const graphUrl = /Meta: bundled emulator at (http:\/\/\S+)/.exec(runtime!.output())![1]!;
    const fixtures = (await (await fetch(`${graphUrl}/__control/fixtures`)).json()) as Json;
    groupId = fixtures.workplace.groups[0].id;

    const admin = await api(base(), '/v1/admin/bootstrap', {
      method: 'POST',
      body: { email: 'owner@bakery.example', workspace: 'Bakery' },
    });
    expect(admin.status).toBe(201);
    apiKey = admin.body.apiKey;

    const configuration = await api(base(), '/v1/configurations', {
      method: 'POST',
      key: apiKey,
      body: {
        connector: 'workplace',
        nickname: 'Bakery Workplace',
        values: { accessToken: fixtures.workplace.adminToken, graphBaseUrl: graphUrl, graphVersion: 'v25.0' },
        sharing: { mode: 'workspace' },
      },
    });
    expect(configuration.status).toBe(201);
    configurationId = configuration.body.id;

    const flow = await api(base(), '/v1/flows', {
      method: 'POST',
      key: apiKey,
      body: {
        spec: {
          name: 'Echo a group post',
          trigger: { card: 'workplace/new-post-in-group@1', configurationId, input: { groupId } },
          steps: [
            {
              id: 'post',
              card: 'workplace/post-to-group@1',
              configurationId,
              input: { groupId, message: 'Seen: {{trigger.output.message}}' },
            },
          ],
        },
      },
    });
    expect(flow.status).toBe(201);
    flowId = flow.body.id;
    const started = await api(base(), `/v1/flows/${flowId}/run`, {
      method: 'POST',
      key: apiKey,
      body: { triggerOutput: { id: 'x_1', message: 'before the restart' } },
    });
    expect(started.status).toBe(202);
    runId = started.body.runId;
    expect((await finishedRun(base(), apiKey, runId)).status).toBe('succeeded');
  });

  it('after Ctrl+C (SIGTERM) and npm start again, everything is there and the secret still opens', async () => {
    await runtime!.stop();
    await start();
    expect(runtime!.output()).toMatch(/embedded database restored from .*\(\d+ documents/);

    const me = await api(base(), '/v1/me', { key: apiKey });
    expect(me.status).toBe(200);
    expect(me.body.workspace.name).toBe('Bakery');
    expect((await api(base(), `/v1/configurations/${configurationId}`, { key: apiKey })).body.nickname).toBe(
      'Bakery Workplace',
    );
    expect(
      (await api(base(), `/v1/configurations/${configurationId}/test`, { method: 'POST', key: apiKey })).body,
    ).toEqual({ ok: true, card: 'workplace/get-community@1' });
    expect((await api(base(), `/v1/flows/${flowId}`, { key: apiKey })).body.name).toBe('Echo a group post');

    const runs = await api(base(), `/v1/flows/${flowId}/runs`, { key: apiKey });
    expect(runs.body.runs.map((run: Json) => [run.id, run.status])).toEqual([[runId, 'succeeded']]);
    const run = await api(base(), `/v1/runs/${runId}`, { key: apiKey });
    expect(run.body.run.triggerOutput).toEqual({ id: 'x_1', message: 'before the restart' });
    expect(run.body.steps.map((step: Json) => [step.stepId, step.status, step.input.message])).toEqual([
      ['post', 'succeeded', 'Seen: before the restart'],
    ]);

    // The restored token is used by a flow, not only by the test call.
    const again = await api(base(), `/v1/flows/${flowId}/run`, {
      method: 'POST',
      key: apiKey,
      body: { triggerOutput: { id: 'x_2', message: 'after the restart' } },
    });
    const secondRunId = again.body.runId;
    expect((await finishedRun(base(), apiKey, secondRunId)).status).toBe('succeeded');
  });

  it('after SIGKILL, what was saved before the kill is there (a write loses at most one snapshot interval)', async () => {
    const renamed = await api(base(), `/v1/configurations/${configurationId}`, {
      method: 'PATCH',
      key: apiKey,
      body: { nickname: 'Renamed before the kill' },
    });
    expect(renamed.status).toBe(200);
    // The next periodic snapshot (FLOWCARD_EMBEDDED_SNAPSHOT_MS) holds the acknowledged write.
    const snapshot = join(dataDir, 'embedded-mongodb', 'flowcard.snapshot.ejson');
    await waitFor(
      'a snapshot with the rename',
      () => readFileSync(snapshot, 'utf8').includes('Renamed before the kill'),
      30_000,
      100,
    );

    const pid = runtime!.pid;
    const children = descendants(pid);
    process.kill(pid, 'SIGKILL');
    for (const child of children) if (alive(child)) process.kill(child, 'SIGKILL');
    await waitFor('the killed runtime to be gone', () => !alive(pid), 10_000);
    await runtime!.stop();

    await start();
    expect((await api(base(), `/v1/configurations/${configurationId}`, { key: apiKey })).body.nickname).toBe(
      'Renamed before the kill',
    );
    expect(
      (await api(base(), `/v1/configurations/${configurationId}/test`, { method: 'POST', key: apiKey })).body,
    ).toEqual({ ok: true, card: 'workplace/get-community@1' });
    const runs = await api(base(), `/v1/flows/${flowId}/runs`, { key: apiKey });
    expect(runs.body.runs.map((run: Json) => run.status)).toEqual(['succeeded', 'succeeded']);
  });
});
