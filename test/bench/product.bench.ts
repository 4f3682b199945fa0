import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { signMetaBody } from '../../packages/engine/src/triggers/meta-signature';
import { startRedisServer } from '../../runtime/src/embedded/embedded-redis';
import { startJongodb } from '../../runtime/src/embedded/jongodb';
import { forkBenchProcess, nowMs, type BenchMessage, type BenchProcess } from './support/bench-process';
import type { BenchEmulatorInfo } from './support/emulator-process';
import { percentile, runFlowVariants, type FlowVariants } from './flows.bench';
import type { ProductEmulatorInfo } from './support/product-emulator-process';
import { descendants, processCpuMs } from './support/proc-cpu';

/** Flows of the saturated batch (the issue's figure is over 10,000). */
const FLOWS = Number(process.env.BENCH_PRODUCT_FLOWS ?? 10_000);
const WARMUP = Number(process.env.BENCH_PRODUCT_WARMUP ?? 300);
const SEQUENTIAL = Number(process.env.BENCH_PRODUCT_SEQUENTIAL ?? 200);
/** Flows in flight when saturated (webhooks sent and not yet seen at the emulator). */
const IN_FLIGHT = Number(process.env.BENCH_PRODUCT_IN_FLIGHT ?? 100);
/** `start` = `flowcard start` (API + worker + scheduler, embedded store inside); `split` = `flowcard api` + N `flowcard worker`. */
const TOPOLOGIES = (process.env.BENCH_PRODUCT_TOPOLOGIES ?? 'start,split').split(',').filter(Boolean);
/** Worker process counts of the `split` topology (e.g. `1,2,4` for the scaling figure). */
const WORKER_COUNTS = (process.env.BENCH_PRODUCT_WORKERS ?? '1').split(',').map(Number);
/** Flows of the engine-only bench and raw BullMQ chain run alongside (0 skips them). */
const ENGINE_FLOWS = Number(process.env.BENCH_PRODUCT_ENGINE_FLOWS ?? 3000);
/** Throughput windows compared: the first and the last `WINDOW` flows of the saturated batch. */
const WINDOW = Math.min(1000, Math.floor(FLOWS / 2));
const BIN = join(__dirname, '..', '..', 'packages', 'cli', 'bin', 'flowcard.js');
const READY_TIMEOUT_MS = 180_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A `flowcard <command>` child process. */
interface RuntimeProcess {
  readonly pid: number;
  readonly role: string;
  readonly url?: string;
  stop(): Promise<void>;
}

function spawnFlowcard(
  command: 'start' | 'api' | 'worker',
  env: Record<string, string>,
  role: string,
): Promise<RuntimeProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, command], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-20_000);
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`flowcard ${command} was not ready within ${READY_TIMEOUT_MS} ms:\n${tail.slice(-3000)}`),
      );
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      keep(chunk);
      if (!/"msg":"Flowcard started"/.test(tail)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', keep);
      const url = /API listening on (http:\/\/localhost:\d+)/
        .exec(tail)?.[1]
        ?.replace('localhost', '127.0.0.1');
      resolve({ pid: child.pid!, role, url, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `flowcard ${command} exited (${code ?? signal}) before it was ready:\n${tail.slice(-3000)}`,
        ),
      );
    });
  });
}

async function request(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as Json;
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return body;
}

/**
 * Everything a user does before leads flow, through the public API: the first admin, a Workplace
 * configuration, Connect Meta for the Page (the OAuth round trip against the emulator's dialog), the
 * flow "new lead → Workplace message", enabled.
 */
async function setUp(api: string, meta: ProductEmulatorInfo): Promise<void> {
  const admin = await request(`${api}/v1/admin/bootstrap`, {
    method: 'POST',
    body: { email: 'bench@flowcard.example', workspace: 'Bench' },
  });
  const call = (path: string, init: { method?: string; body?: unknown } = {}) =>
    request(`${api}${path}`, { ...init, headers: { authorization: `Bearer ${admin.apiKey as string}` } });
  const workplace = await call('/v1/configurations', {
    method: 'POST',
    body: {
      connector: 'workplace',
      nickname: 'Bench Workplace',
      values: { accessToken: meta.workplaceToken, graphBaseUrl: meta.baseUrl, graphVersion: 'v25.0' },
    },
  });
  const started = await call('/v1/connect/meta/start', {
    method: 'POST',
    body: { connector: 'facebook-leads' },
  });
  const dialog = await fetch(started.url as string, { redirect: 'manual' });
  const location = dialog.headers.get('location');
  if (!location) throw new Error(`the emulator's dialog did not redirect back (HTTP ${dialog.status})`);
  const connected = await request(new URL(location, api).toString(), {
    headers: { cookie: `flowcard_meta_session=${started.sessionId as string}`, accept: 'application/json' },
  });
  const page = (connected.pages as Json[]).find((p) => p.pageId === meta.pageId);
  if (!page) throw new Error(`Connect Meta did not connect Page ${meta.pageId}`);
  const flow = await call('/v1/flows', {
    method: 'POST',
    body: {
      spec: {
        name: 'Bench: new lead → Workplace message',
        trigger: {
          card: 'facebook-leads/new-lead@1',
          configurationId: page.configurationId,
          input: { pageId: meta.pageId },
        },
        steps: [
          {
            id: 'notify',
            card: 'workplace/send-message@1',
            configurationId: workplace.id,
            input: {
              recipientIds: [meta.memberId],
              text: 'New lead {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
            },
          },
        ],
      },
    },
  });
  await call(`/v1/flows/${flow.id as string}/enable`, { method: 'POST' });
}

/** Resolves each flow when the emulator reports its Workplace message (by lead number). */
class CompletedAtEmulator {
  private readonly waiting = new Map<number, (at: number) => void>();
  private readonly early = new Map<number, number>();

  constructor(emulator: BenchProcess) {
    emulator.onMessage((message: BenchMessage) => {
      if (message.type !== 'finished') return;
      for (const [number, at] of message.flows as Array<[number, number]>) {
        const resolve = this.waiting.get(number);
        if (resolve) {
          this.waiting.delete(number);
          resolve(at);
        } else this.early.set(number, at);
      }
    });
  }

  when(number: number): Promise<number> {
    const early = this.early.get(number);
    if (early !== undefined) {
      this.early.delete(number);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => this.waiting.set(number, resolve));
  }
}

interface Batch {
  readonly flowsPerSecond: number;
  readonly latenciesMs: number[];
  /** When each flow completed (ms, driver clock), in completion order. */
  readonly completedAt: number[];
  readonly startedAt: number;
}

/** Sends one signed leadgen webhook per lead over HTTP, `inFlight` flows at a time, each done when its message is stored. */
async function drive(
  pool: Pool,
  meta: ProductEmulatorInfo,
  done: CompletedAtEmulator,
  leads: ReadonlyArray<{ number: number; id: string }>,
  inFlight: number,
  /** Print the rate of every `progress` flows (a long run shows how it holds up while it runs). */
  progress = 0,
): Promise<Batch> {
  let next = 0;
  const latenciesMs: number[] = [];
  const completedAt: number[] = [];
  const startedAt = nowMs();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, leads.length) }, async () => {
      while (next < leads.length) {
        const lead = leads[next++]!;
        const time = Math.floor(Date.now() / 1000);
        const body = JSON.stringify({
          object: 'page',
          entry: [
            {
              id: meta.pageId,
              time,
              changes: [
                {
                  field: 'leadgen',
                  value: {
                    leadgen_id: lead.id,
                    page_id: meta.pageId,
                    form_id: meta.formId,
                    created_time: time,
                  },
                },
              ],
            },
          ],
        });
        const sent = nowMs();
        const completed = done.when(lead.number);
        const response = await pool.request({
          method: 'POST',
          path: '/v1/webhooks/meta',
          body,
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signMetaBody(Buffer.from(body), meta.appSecret),
          },
        });
        const answer = await response.body.text();
        if (response.statusCode !== 200)
          throw new Error(`the webhook answered ${response.statusCode}: ${answer}`);
        const at = await completed;
        latenciesMs.push(at - sent);
        completedAt.push(at);
        if (progress && completedAt.length % progress === 0) {
          const window = completedAt.slice(-progress);
          const since = completedAt.length === progress ? startedAt : window[0]!;
          process.stdout.write(
            `  ${completedAt.length} flows: last ${progress} at ${(progress / ((at - since) / 1000)).toFixed(1)} flows/s\n`,
          );
        }
      }
    }),
  );
  return {
    flowsPerSecond: leads.length / ((nowMs() - startedAt) / 1000),
    latenciesMs,
    completedAt,
    startedAt,
  };
}

interface CpuSources {
  readonly node: RuntimeProcess[];
  readonly store?: number;
  readonly redis: number;
  readonly emulator: number;
}

function cpuSnapshot(sources: CpuSources): Record<string, number> {
  const snapshot: Record<string, number> = {};
  for (const process of sources.node) snapshot[`node ${process.role}`] = processCpuMs(process.pid);
  if (sources.store !== undefined) snapshot.store = processCpuMs(sources.store);
  snapshot.redis = processCpuMs(sources.redis);
  snapshot.emulator = processCpuMs(sources.emulator);
  const own = process.cpuUsage();
  snapshot.driver = (own.user + own.system) / 1000;
  return snapshot;
}

interface TopologyResult {
  readonly name: string;
  readonly saturated: Batch;
  readonly sequential: Batch;
  readonly firstWindow: number;
  readonly lastWindow: number;
  readonly cpuMsPerFlow: Record<string, number>;
  /** Redis commands per flow of the saturated batch (INFO stats of the bench's own redis-server). */
  readonly redisCommandsPerFlow: number;
}

async function redisCommands(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

const lat = (values: number[]): string =>
  `${percentile(values, 50).toFixed(0)} / ${percentile(values, 99).toFixed(0)} ms`;

async function measureTopology(
  name: string,
  meta: ProductEmulatorInfo,
  emulator: BenchProcess,
  done: CompletedAtEmulator,
  redis: { url: string; pid: number },
  workers: number,
  firstLead: number,
): Promise<TopologyResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-bench-product-'));
  const prefix = `hperf-bench-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    FLOWCARD_REDIS_PREFIX: prefix,
    FLOWCARD_DATA_DIR: dataDir,
    FLOWCARD_MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    META_APP_ID: meta.appId,
    META_APP_SECRET: meta.appSecret,
    META_GRAPH_URL: meta.baseUrl,
    META_DIALOG_URL: meta.baseUrl,
    FLOWCARD_MONGODB_DATABASE: `bench_${randomBytes(4).toString('hex')}`,
  };
  const stops: Array<() => Promise<void>> = [];
  try {
    let store: number | undefined;
    const node: RuntimeProcess[] = [];
    if (process.env.MONGODB_URI) env.MONGODB_URI = process.env.MONGODB_URI;
    if (name === 'start') {
      const all = await spawnFlowcard('start', env, 'start');
      stops.push(all.stop);
      node.push(all);
      store = descendants(all.pid).find((child) => child.command.startsWith('jongodb'))?.pid;
    } else {
      if (!env.MONGODB_URI) {
        const mongo = await startJongodb({ timeoutMs: 60_000 });
        stops.push(mongo.stop);
        env.MONGODB_URI = mongo.uri;
        store = mongo.pid;
      }
      const api = await spawnFlowcard('api', env, 'api');
      stops.push(api.stop);
      node.push(api);
      for (let i = 0; i < workers; i++) {
        const worker = await spawnFlowcard('worker', env, `worker${i + 1}`);
        stops.push(worker.stop);
        node.push(worker);
      }
    }
    const apiUrl = node[0]!.url!;
    await setUp(apiUrl, meta);

    const count = WARMUP + FLOWS + SEQUENTIAL;
    const created = await emulator.request<BenchMessage & { leadIds: string[] }>({
      type: 'createLeads',
      from: firstLead,
      count,
    });
    const leads = created.leadIds.map((id, i) => ({ id, number: firstLead + i }));
    const pool = new Pool(new URL(apiUrl).origin, { connections: IN_FLIGHT, pipelining: 1 });
    try {
      await drive(pool, meta, done, leads.slice(0, WARMUP), IN_FLIGHT);
      const sources: CpuSources = { node, store, redis: redis.pid, emulator: emulator.pid };
      const before = cpuSnapshot(sources);
      const commandsBefore = await redisCommands(redis.url);
      const saturated = await drive(pool, meta, done, leads.slice(WARMUP, WARMUP + FLOWS), IN_FLIGHT, WINDOW);
      const after = cpuSnapshot(sources);
      const redisCommandsPerFlow = ((await redisCommands(redis.url)) - commandsBefore) / FLOWS;
      const sequential = await drive(pool, meta, done, leads.slice(WARMUP + FLOWS), 1);
      const cpuMsPerFlow = Object.fromEntries(
        Object.keys(after).map((key) => [key, (after[key]! - before[key]!) / FLOWS]),
      );
      const times = saturated.completedAt;
      const firstWindow = WINDOW / ((times[WINDOW - 1]! - saturated.startedAt) / 1000);
      const lastWindow = WINDOW / ((times[times.length - 1]! - times[times.length - 1 - WINDOW]!) / 1000);
      return {
        name: name === 'start' ? 'flowcard start' : `api + ${workers} worker${workers > 1 ? 's' : ''}`,
        saturated,
        sequential,
        firstWindow,
        lastWindow,
        cpuMsPerFlow,
        redisCommandsPerFlow,
      };
    } finally {
      await pool.close();
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The engine-only bench (worker fed in-process, history to an in-memory sink) and the raw BullMQ
 * chain, for ratios, on REDIS_URL (default the local 6379) as `npm run bench -- flows` runs them.
 */
async function measureEngine(): Promise<FlowVariants> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const { process: emulator, ready } = await forkBenchProcess<BenchEmulatorInfo>(
    'emulator-process',
    {},
    'emulator',
  );
  try {
    return await runFlowVariants(
      redis,
      emulator,
      ready,
      `hperf-bench-engine-${randomBytes(4).toString('hex')}`,
      {
        flows: ENGINE_FLOWS,
        sequential: SEQUENTIAL,
        rounds: 1,
      },
    );
  } finally {
    await emulator.stop();
    await redis.quit();
  }
}

/**
 * `npm run bench -- product`: Flowcard as a user runs it. The runtime as separate processes
 * (`flowcard start`, and `flowcard api` + N `flowcard worker`), on the embedded store (jongodb; or
 * MONGODB_URI when set) and a redis-server of its own; signed leadgen webhooks over HTTP to
 * `/v1/webhooks/meta`; a flow is done when the Meta emulator (its own process) stores its Workplace
 * message. Reports flows/s saturated and the first vs last 1,000 flows, p50/p99 saturated and one
 * at a time, CPU ms per flow of every process (from /proc), and, in the same run, the engine-only
 * bench and the raw BullMQ chain.
 */
export default async function productBench(): Promise<void> {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  // A redis-server of the bench's own (in memory), so its CPU is this bench's alone.
  const redis = await startRedisServer();
  const { process: emulator, ready: meta } = await forkBenchProcess<ProductEmulatorInfo>(
    'product-emulator-process',
    {},
    'emulator',
  );
  const done = new CompletedAtEmulator(emulator);
  const results: TopologyResult[] = [];
  let engine: FlowVariants | undefined;
  try {
    let firstLead = 0;
    const runs: Array<[string, number]> = [];
    for (const topology of TOPOLOGIES) {
      if (topology !== 'start' && topology !== 'split')
        throw new Error(`BENCH_PRODUCT_TOPOLOGIES: unknown topology "${topology}" (start, split)`);
      if (topology === 'split') for (const workers of WORKER_COUNTS) runs.push(['split', workers]);
      else runs.push([topology, 1]);
    }
    for (const [topology, workers] of runs) {
      out(
        `measuring ${topology}${topology === 'split' ? ` (${workers} worker${workers > 1 ? 's' : ''})` : ''}…`,
      );
      results.push(
        await measureTopology(
          topology,
          meta,
          emulator,
          done,
          { url: redis.url, pid: redis.pid! },
          workers,
          firstLead,
        ),
      );
      firstLead += WARMUP + FLOWS + SEQUENTIAL;
    }
    if (ENGINE_FLOWS > 0) {
      out('measuring the engine-only bench and the raw BullMQ chain…');
      engine = await measureEngine();
    }
  } finally {
    await emulator.stop();
    await redis.stop();
  }

  out('');
  out(
    `flow: signed leadgen webhook → POST /v1/webhooks/meta → trigger job (GET lead) → step job (Workplace message); done when the emulator stores the message`,
  );
  out(
    `store: ${process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded jongodb'}; Redis: a redis-server of the bench's own; ${FLOWS} flows saturated (${IN_FLIGHT} in flight) after ${WARMUP} warm-up, ${SEQUENTIAL} one at a time; 2-core box shared with other work (absolute figures vary run to run)`,
  );
  out('');
  out(
    `| runtime | flows/s saturated | first / last ${WINDOW} flows/s (last/first) | p50 / p99 saturated | p50 / p99 one at a time | CPU ms per flow |`,
  );
  out('|---|---|---|---|---|---|');
  for (const result of results) {
    const cpu = result.cpuMsPerFlow;
    const flowcardKeys = Object.keys(cpu).filter((key) => key !== 'emulator' && key !== 'driver');
    const total = flowcardKeys.reduce((sum, key) => sum + cpu[key]!, 0);
    out(
      `| ${result.name} | ${result.saturated.flowsPerSecond.toFixed(1)} | ${result.firstWindow.toFixed(1)} / ${result.lastWindow.toFixed(1)} (${(result.lastWindow / result.firstWindow).toFixed(2)}) | ${lat(result.saturated.latenciesMs)} | ${lat(result.sequential.latenciesMs)} | ${total.toFixed(1)} (${flowcardKeys.map((key) => `${key} ${cpu[key]!.toFixed(1)}`).join(', ')}; emulator ${cpu.emulator!.toFixed(1)}, sender ${cpu.driver!.toFixed(1)} not counted) |`,
    );
  }
  out('');
  for (const result of results) {
    out(
      `${result.name}: ${result.redisCommandsPerFlow.toFixed(1)} Redis commands per flow (saturated; includes the workers' idle polling)`,
    );
  }
  if (engine) {
    out('');
    out(
      `same run, engine-only bench (worker fed in-process, history to an in-memory sink, ${ENGINE_FLOWS} flows): ${engine.flowcard.saturated.flowsPerSecond.toFixed(1)} flows/s; raw BullMQ chain + undici: ${engine.undici.saturated.flowsPerSecond.toFixed(1)} flows/s; no-op chain: ${engine.noop.saturated.flowsPerSecond.toFixed(1)} flows/s`,
    );
    for (const result of results) {
      out(
        `${result.name}: product/engine-only ${(result.saturated.flowsPerSecond / engine.flowcard.saturated.flowsPerSecond).toFixed(2)}, product/raw chain ${(result.saturated.flowsPerSecond / engine.undici.saturated.flowsPerSecond).toFixed(2)}`,
      );
    }
  }
}
