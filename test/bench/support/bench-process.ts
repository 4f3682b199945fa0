import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A message between the bench driver and one of its child processes: a type plus plain JSON. */
export interface BenchMessage {
  type: string;
  [key: string]: unknown;
}

/** A child process of the bench (emulator, workers, endpoints), driven over IPC. */
export interface BenchProcess {
  readonly pid: number;
  /** Every message the child sends (besides answers to `request`). */
  onMessage(listener: (message: BenchMessage) => void): void;
  /** Sends `message` and resolves with the child's answer of type `${message.type}:done`. */
  request<T extends BenchMessage>(message: BenchMessage): Promise<T>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Forks `support/<script>.ts` through tsx with its configuration in FLOWCARD_BENCH_CONFIG, and
 * resolves with the child's first `ready` message. BENCH_CPU_PROF=<dir> adds `--cpu-prof` to
 * children whose role is listed in BENCH_CPU_PROF_ROLES (default: every worker role), so a
 * profile shows where the worker's time goes.
 */
export async function forkBenchProcess<R extends BenchMessage>(
  script: string,
  config: object,
  role: string,
): Promise<{ process: BenchProcess; ready: R }> {
  const execArgv = ['-r', 'tsx/cjs'];
  const profileDir = process.env.BENCH_CPU_PROF;
  const roles = (process.env.BENCH_CPU_PROF_ROLES ?? 'flowcard-worker,chain-worker').split(',');
  if (profileDir && roles.includes(role))
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`,
    );
  const child: ChildProcess = fork(join(__dirname, `${script}.ts`), [], {
    cwd: join(__dirname, '..', '..', '..'),
    execArgv,
    env: { ...process.env, FLOWCARD_BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listeners: Array<(message: BenchMessage) => void> = [];
  const waiting = new Map<string, (message: BenchMessage) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (raw: unknown) => {
    const message = raw as BenchMessage;
    const answer = waiting.get(message.type);
    if (answer) {
      waiting.delete(message.type);
      answer(message);
      return;
    }
    for (const listener of listeners) listener(message);
  });
  const ready = await new Promise<R>((resolve, reject) => {
    listeners.push((message) => {
      if (message.type === 'ready') resolve(message as R);
    });
    void exited.then(() => reject(new Error(`bench process ${script} exited before it was ready`)));
  });
  listeners.length = 0;
  return {
    ready,
    process: {
      pid: child.pid ?? -1,
      onMessage: (listener) => listeners.push(listener),
      request: <T extends BenchMessage>(message: BenchMessage): Promise<T> =>
        new Promise<T>((resolve) => {
          waiting.set(`${message.type}:done`, (answer) => resolve(answer as T));
          child.send(message);
        }),
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await exited;
      },
    },
  };
}

/** For child processes: sends a message to the driver. */
export function tellDriver(message: BenchMessage): void {
  process.send?.(message);
}

/** For child processes: the configuration the driver passed. */
export function benchConfig<T>(): T {
  return JSON.parse(process.env.FLOWCARD_BENCH_CONFIG ?? '{}') as T;
}

/** For child processes: high-resolution wall-clock time in ms, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * For worker children: reports finished flows as `[flowKey, finishedAtMs]` pairs, coalesced per
 * event-loop turn (no timer: a timer would add its delay to the latency being measured).
 */
export function finishedFlowReporter(): (flowKey: string) => void {
  let batch: Array<[string, number]> = [];
  return (flowKey) => {
    if (batch.length === 0) {
      setImmediate(() => {
        const sending = batch;
        batch = [];
        tellDriver({ type: 'finished', flows: sending });
      });
    }
    batch.push([flowKey, nowMs()]);
  };
}

/**
 * For worker children: answers `{type: 'cpu'}` with the process's CPU time so far (user + system,
 * ms). The driver takes it before and after the saturated batch: CPU per flow is far steadier than
 * flows/s on this shared 2-core box, so it shows what an optimisation saved even when throughput
 * is drowned by other load.
 */
export function answerCpuRequests(): void {
  process.on('message', (raw: unknown) => {
    if ((raw as BenchMessage).type !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    tellDriver({ type: 'cpu:done', ms: (user + system) / 1000 });
  });
}
