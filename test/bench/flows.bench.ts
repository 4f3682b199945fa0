import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { dedupedRunId } from '../../packages/engine/src/runs/flow-runner';
import { signMetaBody } from '../../packages/engine/src/triggers/meta-signature';
import { forkBenchProcess, nowMs, type BenchMessage, type BenchProcess } from './support/bench-process';
import {
  BENCH_FLOW_ID,
  CHAIN_WEBHOOK_QUEUE,
  leadgenWebhookBody,
  type BenchTarget,
  type ChainWebhookData,
} from './support/bench-flow';
import type { ChainWorkerConfig } from './support/chain-worker-process';
import type { BenchEmulatorInfo } from './support/emulator-process';
import type { FlowcardWorkerConfig } from './support/flowcard-worker-process';
import { ingestRouter } from './support/ingest-router';
import type { WebhookEndpointConfig } from './support/webhook-endpoint-process';

/** Jobs processed at once per BullMQ worker (Flowcard's trigger and step workers, the baselines' two). */
const CONCURRENCY = Number(process.env.BENCH_FLOW_CONCURRENCY ?? 50);
/** Flows kept in flight when saturated (more than the workers take at once, so queues never run dry). */
const SATURATED_IN_FLIGHT = Number(process.env.BENCH_FLOW_IN_FLIGHT ?? 200);
const FLOWS = Number(process.env.BENCH_FLOWS ?? 3000);
const WARMUP_FLOWS = 500;
const SEQUENTIAL_FLOWS = Number(process.env.BENCH_SEQUENTIAL_FLOWS ?? 200);
/** Rounds of all three variants, in a rotating order; medians are reported (this 2-core box is shared and noisy). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const INGEST_DURATION_MS = 3000;
const INGEST_IN_FLIGHT = 64;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Measurement {
  flowsPerSecond: number;
  latenciesMs: number[];
}

export interface VariantResult {
  saturated: Measurement;
  sequential: Measurement;
  /** The worker process's CPU time (user + system) per flow of the saturated batch, in ms. */
  cpuMsPerFlow: number;
  /** The rest of the box per flow of the saturated batch (ms): driver (incl. Flowcard's ingest), Redis, emulator. */
  otherCpuMsPerFlow: { driver: number; redis: number; emulator: number };
}

/** CPU time so far (ms) of the processes besides the worker that a flow keeps busy. */
interface BoxCpu {
  driver: number;
  redis: number;
  emulator: number;
}

async function boxCpu(redis: Redis, emulator: BenchProcess): Promise<BoxCpu> {
  const { user, system } = process.cpuUsage();
  const info = await redis.info('cpu');
  const seconds = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  const emulatorMs = (await emulator.request<BenchMessage & { ms: number }>({ type: 'cpu' })).ms;
  return {
    driver: (user + system) / 1000,
    redis: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000,
    emulator: emulatorMs,
  };
}

/** Starts flow `index` (of this variant) for a lead and returns the key its worker will report it finished under. */
type StartFlow = (index: number, leadId: string) => Promise<string>;

/**
 * Follows a worker process's `finished` reports and resolves the flows waiting for them. The start
 * time is taken before the flow's first Redis command; the end time by the worker when the flow's
 * last job is completed, both on the same machine clock.
 */
class FinishedFlows {
  private readonly waiting = new Map<string, { startedAt: number; resolve: (latencyMs: number) => void }>();
  private readonly early = new Map<string, number>();
  readonly errors: string[] = [];

  constructor(worker: BenchProcess) {
    worker.onMessage((message: BenchMessage) => {
      if (message.type === 'error') this.errors.push(String(message.message));
      if (message.type !== 'finished') return;
      for (const [key, at] of message.flows as Array<[string, number]>) {
        const entry = this.waiting.get(key);
        if (!entry) {
          this.early.set(key, at);
          continue;
        }
        this.waiting.delete(key);
        entry.resolve(at - entry.startedAt);
      }
    });
  }

  /** Starts a flow and resolves with its latency once it finished. */
  async run(start: () => Promise<string>): Promise<number> {
    const startedAt = nowMs();
    const key = await start();
    const early = this.early.get(key);
    if (early !== undefined) {
      this.early.delete(key);
      return early - startedAt;
    }
    return new Promise<number>((resolve) => this.waiting.set(key, { startedAt, resolve }));
  }
}

/** Runs `count` flows with at most `inFlight` at once; returns flows/s over the whole batch and each latency. */
async function drive(
  flows: FinishedFlows,
  start: StartFlow,
  leadIds: readonly string[],
  inFlight: number,
): Promise<Measurement> {
  let next = 0;
  const latenciesMs: number[] = [];
  const began = nowMs();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, leadIds.length) }, async () => {
      while (next < leadIds.length) {
        const index = next++;
        latenciesMs.push(await flows.run(() => start(index, leadIds[index])));
      }
    }),
  );
  const seconds = (nowMs() - began) / 1000;
  if (flows.errors.length > 0)
    throw new Error(`jobs failed during the bench: ${flows.errors.slice(0, 3).join('; ')}`);
  return { flowsPerSecond: leadIds.length / seconds, latenciesMs };
}

/** Warm-up, then the saturated batch, then one flow at a time. */
async function measureVariant(
  worker: BenchProcess,
  box: { redis: Redis; emulator: BenchProcess },
  start: StartFlow,
  leads: { warmup: string[]; saturated: string[]; sequential: string[] },
): Promise<VariantResult> {
  const flows = new FinishedFlows(worker);
  const cpuMs = async (): Promise<number> =>
    (await worker.request<BenchMessage & { ms: number }>({ type: 'cpu' })).ms;
  await drive(flows, start, leads.warmup, SATURATED_IN_FLIGHT);
  const cpuBefore = await cpuMs();
  const boxBefore = await boxCpu(box.redis, box.emulator);
  const saturated = await drive(flows, start, leads.saturated, SATURATED_IN_FLIGHT);
  const cpuMsPerFlow = ((await cpuMs()) - cpuBefore) / leads.saturated.length;
  const boxAfter = await boxCpu(box.redis, box.emulator);
  const perFlow = (key: keyof BoxCpu): number => (boxAfter[key] - boxBefore[key]) / leads.saturated.length;
  const otherCpuMsPerFlow = {
    driver: perFlow('driver'),
    redis: perFlow('redis'),
    emulator: perFlow('emulator'),
  };
  const sequential = await drive(flows, start, leads.sequential, 1);
  return { saturated, sequential, cpuMsPerFlow, otherCpuMsPerFlow };
}

/** The round with the median saturated throughput (its latencies come with it). */
function medianResult(results: readonly VariantResult[]): VariantResult {
  const sorted = [...results].sort((a, b) => a.saturated.flowsPerSecond - b.saturated.flowsPerSecond);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median of the rounds' worker CPU per flow (ms). */
/** The box's other processes per flow, from the round whose worker CPU is the median. */
function medianOtherCpu(results: readonly VariantResult[]): VariantResult['otherCpuMsPerFlow'] {
  const sorted = [...results].sort((a, b) => a.cpuMsPerFlow - b.cpuMsPerFlow);
  return sorted[Math.floor(sorted.length / 2)].otherCpuMsPerFlow;
}

function otherCpuText(other: VariantResult['otherCpuMsPerFlow']): string {
  return `driver ${other.driver.toFixed(3)}, Redis ${other.redis.toFixed(3)}, emulator ${other.emulator.toFixed(3)}`;
}

function medianCpu(results: readonly VariantResult[]): number {
  const sorted = results.map((r) => r.cpuMsPerFlow).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rate(result: VariantResult): number {
  return Math.round(result.saturated.flowsPerSecond);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latencyText(m: Measurement): string {
  return `p50 ${percentile(m.latenciesMs, 50).toFixed(1)} ms / p99 ${percentile(m.latenciesMs, 99).toFixed(1)} ms`;
}

/** Flowcard: a signed leadgen delivery into WebhookRouter.ingest (as the API does), then the worker process does the rest. */
async function measureFlowcard(
  redis: Redis,
  emulator: BenchProcess,
  prefix: string,
  target: BenchTarget,
  leads: { warmup: string[]; saturated: string[]; sequential: string[] },
): Promise<VariantResult & { history: BenchMessage }> {
  const config: FlowcardWorkerConfig = { redisUrl: REDIS_URL, prefix, target, concurrency: CONCURRENCY };
  const { process: worker } = await forkBenchProcess('flowcard-worker-process', config, 'flowcard-worker');
  const { router, queue } = ingestRouter(redis, prefix, target);
  try {
    const start: StartFlow = async (_index, leadId) => {
      const body = Buffer.from(leadgenWebhookBody(target, leadId));
      const result = await router.ingest(body, signMetaBody(body, target.appSecret));
      if (result.status !== 200) throw new Error(`ingest refused the delivery: ${result.reason}`);
      return dedupedRunId(BENCH_FLOW_ID, leadId);
    };
    const result = await measureVariant(worker, { redis, emulator }, start, leads);
    const history = await worker.request<BenchMessage>({ type: 'history' });
    return { ...result, history };
  } finally {
    await queue.close();
    await worker.stop();
  }
}

/** A raw BullMQ chain: job 1 carries the leadgen change, as the endpoint would enqueue it. */
async function measureChain(
  redis: Redis,
  emulator: BenchProcess,
  prefix: string,
  target: BenchTarget,
  mode: ChainWorkerConfig['mode'],
  leads: { warmup: string[]; saturated: string[]; sequential: string[] },
): Promise<VariantResult> {
  const config: ChainWorkerConfig = { redisUrl: REDIS_URL, prefix, target, mode, concurrency: CONCURRENCY };
  const { process: worker } = await forkBenchProcess('chain-worker-process', config, 'chain-worker');
  const queue = new Queue<ChainWebhookData>(CHAIN_WEBHOOK_QUEUE, { connection: redis, prefix });
  let flowNumber = 0;
  try {
    const start: StartFlow = async (_index, leadId) => {
      flowNumber += 1;
      const key = `${mode}-${flowNumber}`;
      await queue.add(
        'webhook',
        { key, change: { leadgen_id: leadId, page_id: target.pageId, form_id: target.formId } },
        { removeOnComplete: true, removeOnFail: { count: 1000 } },
      );
      return key;
    };
    return await measureVariant(worker, { redis, emulator }, start, leads);
  } finally {
    await queue.close();
    await worker.stop();
  }
}

/** Keeps INGEST_IN_FLIGHT signed POSTs in flight for INGEST_DURATION_MS; returns requests/s (all must answer 200). */
async function measureIngest(
  url: string,
  bodies: ReadonlyArray<{ body: string; signature: string }>,
): Promise<number> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: INGEST_IN_FLIGHT, pipelining: 1 });
  let sent = 0;
  let failed = 0;
  const post = async (): Promise<void> => {
    const { body, signature } = bodies[sent++ % bodies.length];
    const res = await pool.request({
      method: 'POST',
      path: pathname,
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });
    await res.body.dump();
    if (res.statusCode !== 200) failed++;
  };
  const loop = async (until: number): Promise<number> => {
    let done = 0;
    await Promise.all(
      Array.from({ length: INGEST_IN_FLIGHT }, async () => {
        while (Date.now() < until) {
          await post();
          done++;
        }
      }),
    );
    return done;
  };
  await loop(Date.now() + 500); // warm-up
  const began = nowMs();
  const done = await loop(Date.now() + INGEST_DURATION_MS);
  const rate = done / ((nowMs() - began) / 1000);
  await pool.close();
  if (failed > 0) throw new Error(`${failed} webhook deliveries did not answer 200`);
  return rate;
}

async function ingestEndpoint(
  prefix: string,
  target: BenchTarget,
  mode: WebhookEndpointConfig['mode'],
  bodies: ReadonlyArray<{ body: string; signature: string }>,
): Promise<number> {
  const config: WebhookEndpointConfig = { redisUrl: REDIS_URL, prefix, target, mode };
  const { process: endpoint, ready } = await forkBenchProcess<BenchMessage & { url: string }>(
    'webhook-endpoint-process',
    config,
    `${mode}-endpoint`,
  );
  try {
    return await measureIngest(ready.url, bodies);
  } finally {
    await endpoint.stop();
  }
}

/** The three variants' results (median round each) and the Flowcard history of the last round. */
export interface FlowVariants {
  readonly noop: VariantResult;
  readonly undici: VariantResult;
  readonly flowcard: VariantResult;
  readonly rounds: Record<'noop' | 'undici' | 'flowcard', VariantResult[]>;
  readonly history: BenchMessage;
}

/**
 * Runs the three variants `rounds` times in a rotating order on fresh leads of `emulator` (an
 * `emulator-process` child): the engine-only measurement the product bench also prints ratios to.
 */
export async function runFlowVariants(
  redis: Redis,
  emulator: BenchProcess,
  target: BenchTarget,
  prefix: string,
  options: { flows: number; sequential: number; rounds: number } = {
    flows: FLOWS,
    sequential: SEQUENTIAL_FLOWS,
    rounds: ROUNDS,
  },
): Promise<FlowVariants> {
  const perRound = WARMUP_FLOWS + options.flows + options.sequential;
  const created = await emulator.request<BenchMessage & { leadIds: string[] }>({
    type: 'createLeads',
    count: perRound * options.rounds,
  });
  const results: Record<'noop' | 'undici' | 'flowcard', VariantResult[]> = {
    noop: [],
    undici: [],
    flowcard: [],
  };
  let history: BenchMessage = { type: 'history' };
  for (let round = 0; round < options.rounds; round++) {
    // Fresh leads per round: Flowcard starts one run per lead and flow, however often it is delivered.
    const ids = created.leadIds.slice(round * perRound, (round + 1) * perRound);
    const leads = {
      warmup: ids.slice(0, WARMUP_FLOWS),
      saturated: ids.slice(WARMUP_FLOWS, WARMUP_FLOWS + options.flows),
      sequential: ids.slice(WARMUP_FLOWS + options.flows),
    };
    const variants: Array<() => Promise<void>> = [
      async () =>
        void results.noop.push(
          await measureChain(redis, emulator, `${prefix}:noop${round}`, target, 'noop', leads),
        ),
      async () =>
        void results.undici.push(
          await measureChain(redis, emulator, `${prefix}:undici${round}`, target, 'http', leads),
        ),
      async () => {
        const flowcard = await measureFlowcard(redis, emulator, `${prefix}:flowcard${round}`, target, leads);
        results.flowcard.push(flowcard);
        history = flowcard.history;
      },
    ];
    for (let i = 0; i < variants.length; i++) await variants[(i + round) % variants.length]();
  }
  return {
    noop: medianResult(results.noop),
    undici: medianResult(results.undici),
    flowcard: medianResult(results.flowcard),
    rounds: results,
    history,
  };
}

/**
 * Flows/s of "webhook lead → get lead → Workplace message" through Flowcard next to two raw BullMQ
 * 3-job chains on the same Redis and emulator: (a) the same two Graph calls with undici (the cost
 * floor of one job per step), (b) no-op processors (BullMQ's ceiling); p50/p99 per flow at
 * concurrency 1 and saturated; webhook ingest/s against a bare endpoint. Topology as in
 * production: the emulator (Meta) and the worker are separate processes; the driver plays the API
 * (Flowcard's ingest runs in it) and the producer of the baseline chains.
 */
export default async function flowsBench(): Promise<void> {
  const prefix = `bench_flows_${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const { process: emulator, ready: target } = await forkBenchProcess<BenchEmulatorInfo>(
    'emulator-process',
    {},
    'emulator',
  );
  try {
    const variants = await runFlowVariants(redis, emulator, target, prefix);
    const { noop, undici, flowcard, history, rounds: results } = variants;
    const messages = await emulator.request<BenchMessage & { count: number }>({ type: 'messages' });

    const bodies = Array.from({ length: 40_000 }, (_, i) => {
      const body = leadgenWebhookBody(target, `49${String(i).padStart(13, '0')}`);
      return { body, signature: signMetaBody(body, target.appSecret) };
    });
    const bareIngest = await ingestEndpoint(`${prefix}:bare`, target, 'bare', bodies);
    const flowcardIngest = await ingestEndpoint(`${prefix}:ingest`, target, 'flowcard', bodies);

    const out = (line: string): boolean => process.stdout.write(`${line}\n`);
    out(
      `flow: webhook lead → get lead (GET /{lead-id}) → Workplace message (POST /me/messages), emulator in its own process, throttling off`,
    );
    out(
      `workers: one child process per variant (as production: workers apart from the API and from Meta); ${CONCURRENCY} jobs at once per BullMQ worker (2 workers each); ${FLOWS} flows saturated (${SATURATED_IN_FLIGHT} in flight) after ${WARMUP_FLOWS} warm-up, ${SEQUENTIAL_FLOWS} one at a time`,
    );
    out(`(b) raw BullMQ 3-job chain, no-op processors: ${Math.round(noop.saturated.flowsPerSecond)} flows/s`);
    out(
      `(a) raw BullMQ 3-job chain + undici, same two calls: ${Math.round(undici.saturated.flowsPerSecond)} flows/s`,
    );
    out(
      `Flowcard (ingest → trigger job: route, fetch lead, dedupe, start run → step job): ${Math.round(flowcard.saturated.flowsPerSecond)} flows/s`,
    );
    const ratioA = flowcard.saturated.flowsPerSecond / undici.saturated.flowsPerSecond;
    out(
      `flow throughput ratio Flowcard/(a): ${ratioA.toFixed(2)} (target >= 0.6: ${ratioA >= 0.6 ? 'met' : 'NOT met'})`,
    );
    out(
      `Flowcard/(b) ratio: ${(flowcard.saturated.flowsPerSecond / noop.saturated.flowsPerSecond).toFixed(2)}`,
    );
    out(
      `latency per flow, concurrency 1: Flowcard ${latencyText(flowcard.sequential)}; (a) ${latencyText(undici.sequential)}; (b) ${latencyText(noop.sequential)}`,
    );
    out(
      `latency per flow, saturated: Flowcard ${latencyText(flowcard.saturated)}; (a) ${latencyText(undici.saturated)}; (b) ${latencyText(noop.saturated)}`,
    );
    out(
      `rounds: ${ROUNDS} (median shown); Flowcard flows/s per round ${results.flowcard.map(rate).join(', ')}; (a) ${results.undici.map(rate).join(', ')}; (b) ${results.noop.map(rate).join(', ')}`,
    );
    const cpu = {
      flowcard: medianCpu(results.flowcard),
      undici: medianCpu(results.undici),
      noop: medianCpu(results.noop),
    };
    out(
      `worker CPU per flow (saturated, median of rounds; steadier than flows/s on a shared box): Flowcard ${cpu.flowcard.toFixed(3)} ms; (a) ${cpu.undici.toFixed(3)} ms; (b) ${cpu.noop.toFixed(3)} ms; (a)/Flowcard ${(cpu.undici / cpu.flowcard).toFixed(2)}`,
    );
    out(
      `rest of the box per flow (saturated, same round as the worker median): Flowcard ${otherCpuText(medianOtherCpu(results.flowcard))}; (a) ${otherCpuText(medianOtherCpu(results.undici))}; (b) ${otherCpuText(medianOtherCpu(results.noop))} (ms; Flowcard's driver runs the webhook ingest)`,
    );
    out(
      `Flowcard history drained to the store sink (last round): ${String(history.runs)} run saves, ${String(history.steps)} step records in ${String(history.batches)} batches; emulator received ${messages.count} Workplace messages in all`,
    );
    out(
      `webhook ingest: bare node:http (parse, 200) ${Math.round(bareIngest)} req/s; Flowcard ingest (verify signature, enqueue) ${Math.round(flowcardIngest)} req/s; ratio ${(flowcardIngest / bareIngest).toFixed(2)}`,
    );
  } finally {
    await emulator.stop();
    const keys = await redis.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
  }
}
