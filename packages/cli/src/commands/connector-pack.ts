import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatManifestProblem, packConnector, packedConnectorFileName } from '@flowcard/engine';

interface PackOptions {
  out?: string;
}

/**
 * `flowcard connector pack <dir> [--out <file>]`: validates a connector folder exactly as the
 * runtime loads it and writes the versioned bundle (`<name>-<version>.flowcard.json` in the current
 * folder by default). Prints `✓ packed <name>@<version> (<n> cards, <m> handler files) → <file>`
 * and the content hash; on problems, one line each on stderr and exit 1.
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('pack <dir>')
    .description(
      'Validate a connector folder and write its versioned bundle (<name>-<version>.flowcard.json)',
    )
    .option('--out <file>', 'bundle file to write (default: ./<name>-<version>.flowcard.json)')
    .action(async (dir: string, options: PackOptions) => {
      process.exitCode = await pack(dir, options);
    });
}

async function pack(dir: string, options: PackOptions): Promise<number> {
  const folder = resolve(dir);
  if (!existsSync(folder)) {
    process.stderr.write(`✗ ${dir}: no such folder\n`);
    return 1;
  }
  const { bundle, problems } = await packConnector(folder);
  if (!bundle) {
    for (const problem of problems) process.stderr.write(`${formatManifestProblem(problem)}\n`);
    process.stderr.write(
      `✗ ${dir}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; nothing packed\n`,
    );
    return 1;
  }
  const file = resolve(options.out ?? packedConnectorFileName(bundle));
  await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
  const cards = bundle.cards.length;
  const handlers = bundle.handlers.length;
  process.stdout.write(
    `✓ packed ${bundle.name}@${bundle.version} (${cards} ${cards === 1 ? 'card' : 'cards'}, ${handlers} handler ${handlers === 1 ? 'file' : 'files'}) → ${file}\n` +
      `  content hash ${bundle.contentHash}\n`,
  );
  return 0;
}
