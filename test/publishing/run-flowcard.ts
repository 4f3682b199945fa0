import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'flowcard.js');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command as a real child process and collects its output. */
export function runProcess(
  command: string,
  args: string[],
  cwd = repoRoot,
  timeoutMs = 120_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `node packages/cli/bin/flowcard.js …`: the command exactly as an author runs it. */
export function runFlowcard(args: string[], cwd = repoRoot): Promise<ProcessResult> {
  return runProcess(process.execPath, [bin, ...args], cwd);
}
