import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import { CardExecutor } from '../../packages/engine/src/executor/card-executor';
import type { FlowDocument } from '../../packages/engine/src/ports/flow-repository';
import { ConnectorRegistry } from '../../packages/engine/src/registry/connector-registry';
import { FlowRunner } from '../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../packages/engine/src/runs/parked-steps';
import { RunStateStore } from '../../packages/engine/src/runs/run-state-store';
import type { StepJobData } from '../../packages/engine/src/runs/step-job-handler';
import { nowMs } from './support/bench-process';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FLOWS = Number(process.env.BENCH_BRANCH_FLOWS ?? 300);
const WARMUP = 50;
const IN_FLIGHT = Number(process.env.BENCH_BRANCH_IN_FLIGHT ?? 50);
const CONCURRENCY = Number(process.env.BENCH_FLOW_CONCURRENCY ?? 50);
const ITEMS = 10;
const LOOP_CONCURRENCY = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * "Route a lead, then handle each of its 10 lines": a paths step (VIP or otherwise) with one step in
 * each branch, a forEach over 10 items (5 at a time) with one step per item, one step after. 14 step
 * jobs per flow. Steps are core/transform (JSONata, no HTTP) so the engine's own cost shows.
 */
function branchLoopFlow(): FlowDocument {
  const spec: FlowSpec = {
    name: 'Bench: paths + forEach',
    trigger: { card: 'core/manual@1', input: {} },
    steps: [
      {
        id: 'route',
        type: 'paths',
        branches: [
          {
            name: 'vip',
            condition: 'trigger.output.vip',
            steps: [{ id: 'vipTag', card: 'core/transform@1', input: { expression: '"vip"' } }],
          },
        ],
        otherwise: [{ id: 'tag', card: 'core/transform@1', input: { expression: '"standard"' } }],
      },
      {
        id: 'each',
        type: 'forEach',
        items: '{{trigger.output.lines}}',
        concurrency: LOOP_CONCURRENCY,
        steps: [{ id: 'line', card: 'core/transform@1', input: { expression: 'item * 2' } }],
      },
      { id: 'after', card: 'core/transform@1', input: { expression: '$sum(steps.each.output)' } },
    ],
  };
  const now = new Date();
  return {
    id: 'flow_bench_branch',
    workspaceId: 'ws_bench',
    ownerId: 'u_bench',
    spec,
    enabled: true,
    triggerKey: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Runs `count` flows with at most IN_FLIGHT at once; returns flows/s. */
async function drive(count: number, start: (i: number) => Promise<Promise<void>>): Promise<number> {
  let next = 0;
  const began = nowMs();
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, count) }, async () => {
      while (next < count) {
        const index = next++;
        await await start(index);
      }
    }),
  );
  return count / ((nowMs() - began) / 1000);
}

/** Flowcard: FlowRunner + a step worker in this process. */
async function measureFlowcard(redis: Redis, prefix: string, registry: ConnectorRegistry): Promise<number> {
  const state = new RunStateStore({ redis, keyPrefix: prefix });
  const runner = new FlowRunner({
    connection: redis,
    prefix,
    state,
    parked: new ParkedSteps({ redis, keyPrefix: prefix }),
    cards: registry,
    executor: new CardExecutor(),
    configurations: { get: async () => null },
  });
  const waiting = new Map<string, () => void>();
  const worker = runner.createWorker({ concurrency: CONCURRENCY });
  worker.on('completed', (job: Job<StepJobData>) => {
    if (job.data.stepId !== 'after') return;
    waiting.get(job.data.runId)?.();
    waiting.delete(job.data.runId);
  });
  const flow = branchLoopFlow();
  const lines = Array.from({ length: ITEMS }, (_, n) => n);
  const start = async (i: number): Promise<Promise<void>> => {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const { runId } = await runner.startRun(
      flow,
      { vip: i % 2 === 0, lines },
      { dedupeKey: `${prefix}:${i}` },
    );
    waiting.set(runId, done);
    return finished;
  };
  try {
    await drive(WARMUP, (i) => start(1_000_000 + i));
    return await drive(FLOWS, start);
  } finally {
    await runner.close();
  }
}

interface ChainJob {
  flow: number;
  step: string;
  item?: number;
}

/**
 * The raw BullMQ baseline with the same topology: one job per step execution (route, branch step,
 * loop start, 10 item jobs with 5 in flight, after), the loop's progress counted in a Redis hash
 * (HINCRBY), processors doing the same trivial JSON work and nothing else.
 */
async function measureChain(redis: Redis, prefix: string): Promise<number> {
  const queue = new Queue<ChainJob>('bench-branch-chain', { connection: redis, prefix });
  const waiting = new Map<number, () => void>();
  const add = (data: ChainJob): Promise<unknown> =>
    queue.add(data.step, data, { removeOnComplete: true, removeOnFail: { count: 100 } });
  const worker = new Worker<ChainJob>(
    'bench-branch-chain',
    async (job) => {
      const data = job.data;
      JSON.stringify({ data, at: Date.now() });
      if (data.step === 'route')
        return add({ flow: data.flow, step: data.flow % 2 === 0 ? 'vipTag' : 'tag' });
      if (data.step === 'vipTag' || data.step === 'tag') return add({ flow: data.flow, step: 'each' });
      if (data.step === 'each') {
        for (let item = 0; item < LOOP_CONCURRENCY; item++)
          await add({ flow: data.flow, step: 'line', item });
        return undefined;
      }
      if (data.step === 'line') {
        const key = `${prefix}:chain:${data.flow}`;
        const done = await redis.hincrby(key, 'done', 1);
        const next = (data.item ?? 0) + LOOP_CONCURRENCY;
        if (next < ITEMS) await add({ flow: data.flow, step: 'line', item: next });
        if (done === ITEMS) {
          await redis.del(key);
          await add({ flow: data.flow, step: 'after' });
        }
        return undefined;
      }
      waiting.get(data.flow)?.();
      waiting.delete(data.flow);
      return undefined;
    },
    { connection: redis, prefix, concurrency: CONCURRENCY },
  );
  const start = async (i: number): Promise<Promise<void>> => {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    waiting.set(i, done);
    await add({ flow: i, step: 'route' });
    return finished;
  };
  try {
    await drive(WARMUP, (i) => start(1_000_000 + i));
    return await drive(FLOWS, start);
  } finally {
    await worker.close();
    await queue.close();
  }
}

/**
 * Flows/s of a paths + forEach (10 items, 5 at a time) flow through Flowcard's runner next to a raw
 * BullMQ chain with the same 14 jobs per flow, in the same process and run (ratios, medians of
 * ROUNDS rounds in alternating order).
 */
export default async function pathsLoopsBench(): Promise<void> {
  const prefix = `bench_branch_${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const registry = new ConnectorRegistry();
  await registry.loadFrom({ directories: [join(__dirname, '..', '..', 'connectors')] });
  const flowcard: number[] = [];
  const chain: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const variants = [
        async () => void flowcard.push(await measureFlowcard(redis, `${prefix}:fc${round}`, registry)),
        async () => void chain.push(await measureChain(redis, `${prefix}:chain${round}`)),
      ];
      if (round % 2 === 1) variants.reverse();
      for (const variant of variants) await variant();
    }
    const median = (values: number[]): number =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const out = (line: string): boolean => process.stdout.write(`${line}\n`);
    out(
      `flow: paths (VIP or otherwise, one step each) → forEach over ${ITEMS} items (${LOOP_CONCURRENCY} at a time, one step each) → one step; 14 step jobs per flow; core/transform steps (no HTTP); worker in this process, ${CONCURRENCY} jobs at once; ${FLOWS} flows, ${IN_FLIGHT} in flight`,
    );
    out(
      `raw BullMQ chain, same 14 jobs per flow: ${Math.round(median(chain))} flows/s (rounds ${chain.map(Math.round).join(', ')})`,
    );
    out(`Flowcard: ${Math.round(median(flowcard))} flows/s (rounds ${flowcard.map(Math.round).join(', ')})`);
    out(`paths + forEach throughput ratio Flowcard/chain: ${(median(flowcard) / median(chain)).toFixed(2)}`);
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
  }
}
