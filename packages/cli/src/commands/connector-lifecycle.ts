import type { Command } from 'commander';
import { RuntimeApiClient, type RuntimeApiFlags } from '../runtime-api-client';

interface LifecycleOptions extends RuntimeApiFlags {
  status?: string;
  message?: string;
  deprecatedAt?: string;
  readOnlyAt?: string;
  sunsetAt?: string;
  replacedBy?: string;
}

interface LifecycleAnswer {
  version?: string;
  major?: number;
  runningVersion?: string;
}

const STATUSES = ['active', 'deprecated', 'sunset'];

/**
 * `flowcard connector lifecycle <name>@<version> --status deprecated|sunset|active --message "…"
 * [--deprecated-at|--read-only-at|--sunset-at YYYY-MM-DD] [--replaced-by <connector>] --api <url>
 * --key <admin api key>`: sets the lifecycle of a published version
 * (POST /v1/registry/connectors/:name/versions/:version/lifecycle). The runtime validates it with the
 * manifest schema's LifecycleSpec (deprecated and sunset need a message); running runtimes show it
 * in the catalog within seconds. It replaces the whole lifecycle: options not given are cleared.
 * --api and --key default to FLOWCARD_API_URL and FLOWCARD_API_KEY.
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('lifecycle <name@version>')
    .description('Deprecate, sunset or reactivate a published connector version (admin key)')
    .requiredOption('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--message <text>', 'what happened and what to do, in plain words (needed unless active)')
    .option('--deprecated-at <YYYY-MM-DD>', 'date it was deprecated')
    .option('--read-only-at <YYYY-MM-DD>', 'date the service stopped accepting writes')
    .option('--sunset-at <YYYY-MM-DD>', 'date the service shuts (or shut) down')
    .option('--replaced-by <connector>', 'name of a connector to use instead')
    .option('--api <url>', 'runtime API base URL (default: FLOWCARD_API_URL)')
    .option('--key <api key>', 'an admin API key (default: FLOWCARD_API_KEY)')
    .action(async (target: string, options: LifecycleOptions) => {
      process.exitCode = await setLifecycle(target, options);
    });
}

async function setLifecycle(target: string, options: LifecycleOptions): Promise<number> {
  const match = /^(.+)@(\d[^@]*)$/.exec(target);
  if (!match) {
    process.stderr.write(`✗ "${target}" is not <name>@<version>, e.g. acme-crm@1.2.0\n`);
    return 1;
  }
  const [, name = '', version = ''] = match;
  if (!STATUSES.includes(options.status ?? '')) {
    process.stderr.write(`✗ --status must be one of ${STATUSES.join(', ')}, not "${options.status}"\n`);
    return 1;
  }
  const runtime = RuntimeApiClient.fromFlags(options);
  if (!runtime) return 1;
  const lifecycle = {
    status: options.status,
    ...(options.message === undefined ? {} : { message: options.message }),
    ...(options.deprecatedAt === undefined ? {} : { deprecatedAt: options.deprecatedAt }),
    ...(options.readOnlyAt === undefined ? {} : { readOnlyAt: options.readOnlyAt }),
    ...(options.sunsetAt === undefined ? {} : { sunsetAt: options.sunsetAt }),
    ...(options.replacedBy === undefined ? {} : { replacedBy: options.replacedBy }),
  };
  const path = `/v1/registry/connectors/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/lifecycle`;
  const answer = await runtime.post<LifecycleAnswer>(
    path,
    lifecycle,
    `the lifecycle of ${name}@${version} was not set`,
  );
  if (!answer) return 1;
  process.stdout.write(
    `✓ ${name}@${version} is now ${options.status}; running runtimes show it in the catalog within seconds\n`,
  );
  if (answer.runningVersion !== undefined && answer.runningVersion !== version) {
    // The catalog shows the lifecycle of the version that runs for the major; say so rather than surprise.
    process.stdout.write(
      `  note: major ${answer.major} runs ${name}@${answer.runningVersion}, whose own lifecycle the catalog shows; set it on that version too\n`,
    );
  }
  return 0;
}
