import { Command } from 'commander';
import { registerCommands } from './commands';

/** Builds the flowcard program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('flowcard')
    .description('Flowcard: workflow-automation connector runtime')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
