import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';

interface InitOptions {
  dir?: string;
  auth: string;
  title?: string;
}

type AuthKind = 'bearer' | 'none';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TEMPLATES = resolve(__dirname, '../../templates/connector');

/**
 * `flowcard connector init <name> [--dir <parent>] [--auth bearer|none] [--title <title>]`:
 * scaffolds `<parent>/<name>/` — package.json, connector.json, cards/get-me.json (a declarative GET
 * with an example), README.md and test/get-me.test.ts (runs the card through the executor against
 * a local HTTP server). The parent defaults to the nearest connectors/ folder upward from here, so
 * the new package is a workspace the repo's jest and `connector validate` pick up as they are.
 */
export function register(program: Command): void {
  const connector =
    program.commands.find((command) => command.name() === 'connector') ??
    program.command('connector').description('Work with connector packages');
  connector
    .command('init <name>')
    .description('Scaffold a connector package: manifest, one example card, README and a test')
    .option(
      '--dir <parent>',
      'folder to create <name>/ in (default: the nearest connectors/ folder, else the current folder)',
    )
    .option('--auth <kind>', 'auth of the default configuration: bearer or none', 'bearer')
    .option('--title <title>', 'display name in the catalog (default: from the name)')
    .action(async (name: string, options: InitOptions) => {
      process.exitCode = await init(name, options);
    });
}

async function init(name: string, options: InitOptions): Promise<number> {
  if (!NAME.test(name)) {
    process.stderr.write(
      `✗ "${name}" is not a connector name: use lower-case words joined by dashes, e.g. acme-crm\n`,
    );
    return 1;
  }
  if (options.auth !== 'bearer' && options.auth !== 'none') {
    process.stderr.write(
      `✗ --auth must be bearer or none (got "${options.auth}"); edit connector.json afterwards for oauth2 or basic\n`,
    );
    return 1;
  }
  const parent = resolve(options.dir ?? nearestConnectorsFolder(process.cwd()) ?? process.cwd());
  const target = join(parent, name);
  if (existsSync(target) && readdirSync(target).length > 0) {
    process.stderr.write(`✗ ${target} already exists and is not empty; choose another name or --dir\n`);
    return 1;
  }
  const files = await scaffold(target, name, options.title ?? titleOf(name), options.auth);
  const shown = displayPath(target);
  process.stdout.write(
    `✓ created ${name} in ${target}\n${files.map((file) => `  ${file}\n`).join('')}` +
      `next:\n  npx flowcard connector validate ${shown}\n  npx jest ${shown}\n  npx flowcard connector test ${shown}\n`,
  );
  return 0;
}

async function scaffold(target: string, name: string, title: string, auth: AuthKind): Promise<string[]> {
  const schemas = nearestSchemasFolder(target);
  const variables = (file: string): Record<string, string> => ({
    __NAME__: name,
    __TITLE__: title,
    __AUTH__: auth,
    __SCHEMA_DIR__: schemas
      ? relative(dirname(join(target, file)), schemas)
          .split(sep)
          .join('/')
      : 'https://schemas.flowcard.dev',
    __SECRETS__: auth === 'bearer' ? "{ accessToken: 'test-token' }" : '{}',
    __AUTHORIZATION__: auth === 'bearer' ? "'Bearer test-token'" : 'undefined',
    __AUTH_TITLE__: auth === 'bearer' ? ' with the configured token' : ' without credentials',
    __CONFIG_ROWS__:
      auth === 'bearer'
        ? '| `accessToken` | yes | yes | API token, sent as `Authorization: Bearer`. |\n| `baseUrl` | no | yes | Base URL of the API. |'
        : '| `baseUrl` | no | yes | Base URL of the API. |',
    __REL_DIR__: displayPath(target),
  });
  const written: string[] = [];
  for (const template of await templateFiles()) {
    if (template.startsWith('connector.') && template !== `connector.${auth}.json.tmpl`) continue;
    const file = template.replace(/^connector\.\w+\.json\.tmpl$/, 'connector.json').replace(/\.tmpl$/, '');
    const values = variables(file);
    const text = (await readFile(join(TEMPLATES, template), 'utf8')).replace(
      /__[A-Z_]+__/g,
      (token) => values[token] ?? token,
    );
    await mkdir(dirname(join(target, file)), { recursive: true });
    await writeFile(join(target, file), text);
    written.push(file);
  }
  return written.sort();
}

async function templateFiles(): Promise<string[]> {
  const entries = await readdir(TEMPLATES, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.tmpl')).map((entry) => entry.split(sep).join('/'));
}

function titleOf(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function nearestConnectorsFolder(from: string): string | undefined {
  return upward(from, (dir) => {
    const candidate = join(dir, 'connectors');
    return existsSync(candidate) && statSync(candidate).isDirectory() ? candidate : undefined;
  });
}

/** The repo's schemas/ folder, so `$schema` gives editors completion; absent outside the repo. */
function nearestSchemasFolder(from: string): string | undefined {
  return upward(from, (dir) =>
    existsSync(join(dir, 'schemas', 'connector.schema.json')) ? join(dir, 'schemas') : undefined,
  );
}

function upward<T>(from: string, probe: (dir: string) => T | undefined): T | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const found = probe(dir);
    if (found !== undefined) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

function displayPath(target: string): string {
  const shown = relative(process.cwd(), target);
  return shown === '' ? '.' : shown.startsWith('..') ? target : shown;
}
