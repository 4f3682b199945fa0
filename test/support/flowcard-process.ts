import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { captureEnv, repositoryRoot } from './log-capture';

export const flowcardBin = join(repositoryRoot, 'packages', 'cli', 'bin', 'flowcard.js');

/** A `flowcard api|start|worker|scheduler` child process. */
export interface FlowcardProcess {
  readonly pid: number;
  /** `http://localhost:<port>` once the API listens (API roles only). */
  readonly url: string;
  /** stdout + stderr so far (JSON log lines and the banner), for failure messages. */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `node packages/cli/bin/flowcard.js <command>` exactly as an operator would, with `env`
 * only (plus PATH, HOME and the run's log capture folder: nothing of the test process leaks in),
 * and resolves once the API listens, or rejects with the process's output when it exits or takes
 * longer than `timeoutMs`.
 */
export function startFlowcardProcess(
  command: 'api' | 'start',
  env: Record<string, string>,
  timeoutMs = 150_000,
): Promise<FlowcardProcess> {
  const child = spawn(process.execPath, [flowcardBin, command], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...captureEnv(), PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = once(async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  });
  return new Promise<FlowcardProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`flowcard ${command} did not listen within ${timeoutMs} ms:\n${output.slice(-3000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /API listening on (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (more: Buffer) => (output += more.toString()));
      resolve({ pid: pidOf(child), url, output: () => output, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`flowcard ${command} exited (${code ?? signal}) before listening:\n${output.slice(-3000)}`),
      );
    });
  });
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the flowcard process has no pid');
  return child.pid;
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}
