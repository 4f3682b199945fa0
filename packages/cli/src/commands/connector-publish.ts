import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatManifestProblem, packConnector, type PackedConnector } from '@flowcard/engine';
import { RuntimeApiClient, type RuntimeApiFlags } from '../runtime-api-client';

interface PublishAnswer {
  status?: 'published' | 'unchanged';
  scope?: 'workspace' | 'deployment';
  name?: string;
  version?: string;
  comparedWith?: string;
  additive?: string[];
}

interface PublishFlags extends RuntimeApiFlags {
  workspace?: boolean;
  deployment?: boolean;
}

/**
 * `flowcard connector publish <dir | bundle.flowcard.json> [--workspace | --deployment] --api <url>
 * --key <api key>`: packs the folder (or reads a packed bundle) and uploads it to the runtime's
 * registry (POST /v1/registry/connectors?scope=…). `--workspace` (the default) publishes to the key's
 * workspace only (a workspace admin may); `--deployment` installs it for every workspace (only the
 * deployment operator may). Running runtimes load it within seconds, without a restart.
 * Prints `✓ published <name>@<version>` (and the compatible changes), or the runtime's refusal —
 * e.g. `breaking change: bump the major version` and the list — on stderr with exit 1.
 * --api and --key default to FLOWCARD_API_URL and FLOWCARD_API_KEY.
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('publish <source>')
    .description(
      'Pack a connector folder (or take a packed bundle) and publish it to a running runtime (admin key)',
    )
    .option('--api <url>', 'runtime API base URL (default: FLOWCARD_API_URL)')
    .option('--key <api key>', 'an admin API key (default: FLOWCARD_API_KEY)')
    .option('--workspace', "publish to the key's workspace only (default; a workspace admin may)")
    .option('--deployment', 'install it for every workspace (only the deployment operator may)')
    .action(async (source: string, options: PublishFlags) => {
      process.exitCode = await publish(source, options);
    });
}

async function publish(source: string, options: PublishFlags): Promise<number> {
  if (options.workspace && options.deployment) {
    process.stderr.write('✗ choose one of --workspace and --deployment\n');
    return 1;
  }
  const scope = options.deployment ? 'deployment' : 'workspace';
  const runtime = RuntimeApiClient.fromFlags(options);
  if (!runtime) return 1;
  const bundle = await bundleOf(source);
  if (!bundle) return 1;
  const answer = await runtime.post<PublishAnswer>(
    `/v1/registry/connectors?scope=${scope}`,
    bundle,
    `${bundle.name}@${bundle.version} was not published`,
  );
  if (!answer) return 1;
  if (answer.status === 'unchanged') {
    process.stdout.write(
      `✓ ${bundle.name}@${bundle.version} is already published with this content; nothing to do\n`,
    );
    return 0;
  }
  const compared = answer.comparedWith ? ` (compatible with ${answer.comparedWith})` : '';
  const where = answer.scope === 'deployment' ? 'for every workspace' : 'to this workspace';
  process.stdout.write(
    `✓ published ${bundle.name}@${bundle.version}${compared} ${where}; running runtimes load it within seconds\n`,
  );
  for (const line of answer.additive ?? []) process.stdout.write(`  + ${line}\n`);
  return 0;
}

async function bundleOf(source: string): Promise<PackedConnector | undefined> {
  const path = resolve(source);
  if (!existsSync(path)) {
    process.stderr.write(`✗ ${source}: no such folder or file\n`);
    return undefined;
  }
  if (statSync(path).isFile()) return JSON.parse(readFileSync(path, 'utf8')) as PackedConnector;
  const { bundle, problems } = await packConnector(path);
  if (!bundle) {
    for (const problem of problems) process.stderr.write(`${formatManifestProblem(problem)}\n`);
    process.stderr.write(
      `✗ ${source}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; nothing published\n`,
    );
  }
  return bundle;
}
