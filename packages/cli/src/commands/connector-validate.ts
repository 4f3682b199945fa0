import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatManifestProblem, loadConnector } from '@flowcard/engine';

/**
 * `flowcard connector validate <dir>`: loads one connector package folder the way the runtime
 * does. Exit 0 with `✓ <name>@<version>: N cards valid` on stdout, or exit 1 with one line per
 * problem (`<file>: <jsonPath>: <message>. <hint>`) and a count on stderr.
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('validate <dir>')
    .description('Validate a connector package folder: connector.json, cards/*.json, handlers')
    .action(async (dir: string) => {
      process.exitCode = await validateConnector(dir);
    });
}

async function validateConnector(dir: string): Promise<number> {
  const folder = resolve(dir);
  if (!existsSync(folder)) {
    process.stderr.write(`✗ ${dir}: no such folder\n`);
    return 1;
  }
  const { connector, problems } = await loadConnector(folder);
  if (connector && problems.length === 0) {
    const { name, version } = connector.manifest;
    const count = connector.cards.size;
    process.stdout.write(`✓ ${name}@${version}: ${count} ${count === 1 ? 'card' : 'cards'} valid\n`);
    return 0;
  }
  for (const problem of problems) process.stderr.write(`${formatManifestProblem(problem)}\n`);
  process.stderr.write(`✗ ${dir}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}\n`);
  return 1;
}
