import type { Command } from 'commander';
import type { RuntimeRole } from '@flowcard/runtime';

/**
 * `flowcard start` runs the API, a worker and the scheduler in one process; `flowcard api|worker|
 * scheduler` run one role each (scale out by running more workers against the same Redis + MongoDB).
 */
export function register(program: Command): void {
  const roles: Array<[string, RuntimeRole[], string]> = [
    [
      'start',
      ['api', 'worker', 'scheduler'],
      'Run the API, a worker and the scheduler in one process (embedded defaults when unconfigured)',
    ],
    ['api', ['api'], 'Run the HTTP API only'],
    ['worker', ['worker'], 'Run a flow worker only'],
    ['scheduler', ['scheduler'], 'Run the scheduler only (token lifecycle, polling triggers)'],
  ];
  for (const [name, commandRoles, description] of roles) {
    program
      .command(name)
      .description(description)
      .action(async () => {
        await runRoles(commandRoles);
      });
  }
}

async function runRoles(roles: RuntimeRole[]): Promise<void> {
  // Loaded on demand: other commands (keys rotate, connector publish) need none of the runtime. A
  // require, not import(): under tsx/cjs a dynamic import goes to the ESM loader, which has no .ts hook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the comment above
  const { startRuntime, runUntilSignal } = require('@flowcard/runtime') as typeof import('@flowcard/runtime');
  const handle = await startRuntime({ roles });
  await runUntilSignal(handle);
}
