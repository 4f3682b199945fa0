import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { StepWorkerMessage, StepWorkerProcessConfig } from './step-worker-process';

/** A step worker child process and what it reported about its jobs. */
export interface SpawnedStepWorker {
  readonly pid: number;
  /**
   * Jobs it started and has not reported finished, with when we heard it started them (Date.now()):
   * what it holds right now, as far as the IPC channel has told us.
   */
  readonly inFlight: Map<string, number>;
  /** Jobs it finished (completed events), with their outcome. */
  readonly completed: Map<string, string>;
  readonly failed: Array<{ jobId: string; message: string }>;
  /** Resolves when the process has exited (by itself, SIGTERM or SIGKILL). */
  readonly exited: Promise<NodeJS.Signals | number | null>;
  kill(signal: NodeJS.Signals): void;
  /** Graceful stop (SIGTERM: the worker finishes its jobs), unless it is already gone. */
  stop(): Promise<void>;
}

/**
 * Forks test/resilience/support/step-worker-process.ts (through tsx, as `flowcard worker` would run
 * compiled code) and waits until its BullMQ worker is connected. Master keys and MONGODB_URI travel
 * in the environment like in production.
 */
export async function spawnStepWorker(
  config: StepWorkerProcessConfig,
  env: NodeJS.ProcessEnv,
): Promise<SpawnedStepWorker> {
  const child: ChildProcess = fork(join(__dirname, 'step-worker-process.ts'), [], {
    cwd: join(__dirname, '..', '..', '..'),
    execArgv: ['-r', 'tsx/cjs'],
    env: { ...process.env, ...env, FLOWCARD_STEP_WORKER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inFlight = new Map<string, number>();
  const completed = new Map<string, string>();
  const failed: Array<{ jobId: string; message: string }> = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (raw: unknown) => {
      const message = raw as StepWorkerMessage;
      if (message.type === 'ready') resolve();
      else if (message.type === 'active') inFlight.set(message.jobId, Date.now());
      else if (message.type === 'completed') {
        inFlight.delete(message.jobId);
        completed.set(message.jobId, message.outcome);
      } else if (message.type === 'failed') {
        inFlight.delete(message.jobId);
        failed.push({ jobId: message.jobId, message: message.message });
      }
    });
    void exited.then((how) => reject(new Error(`step worker exited before it was ready (${String(how)})`)));
  });
  await ready;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    pid: child.pid ?? -1,
    inFlight,
    completed,
    failed,
    exited,
    kill: (signal) => {
      child.kill(signal);
    },
    stop: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
