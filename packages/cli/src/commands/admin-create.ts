import type { Command } from 'commander';

interface AdminCreateOptions {
  email: string;
  workspace: string;
  role: 'owner' | 'admin' | 'member';
  name?: string;
  api?: string;
}

/**
 * `flowcard admin create` creates a workspace (or reuses one of that name), a user with a role in it
 * and an API key, and prints the key once. With --api (or FLOWCARD_API_URL) it asks a running API's
 * bootstrap endpoint, which is the only way to reach an embedded in-memory database; otherwise it
 * writes to MONGODB_URI directly.
 */
export function register(program: Command): void {
  const admin =
    program.commands.find((command) => command.name() === 'admin') ??
    program.command('admin').description('Administration');
  admin
    .command('create')
    .description('Create a workspace admin and print an API key')
    .requiredOption('--email <email>', 'email of the admin')
    .requiredOption('--workspace <name>', 'workspace name (created when it does not exist)')
    .option('--role <role>', 'owner, admin or member', 'owner')
    .option('--name <name>', 'display name')
    .option('--api <url>', 'URL of a running Flowcard API (default: FLOWCARD_API_URL)')
    .action(async (options: AdminCreateOptions) => {
      if (!['owner', 'admin', 'member'].includes(options.role))
        throw new Error(`--role must be owner, admin or member, got "${options.role}"`);
      const api = options.api ?? process.env.FLOWCARD_API_URL;
      const created = api ? await throughApi(api, options) : await throughDatabase(options);
      process.stdout.write(
        [
          `Created ${created.role} ${created.email} in workspace "${created.workspace}".`,
          `API key (shown once, store it now): ${created.apiKey}`,
          `Try it: curl -H "Authorization: Bearer ${created.apiKey}" ${api ?? `http://localhost:${process.env.PORT ?? 3000}`}/v1/me`,
          '',
        ].join('\n'),
      );
    });
}

interface Created {
  email: string;
  workspace: string;
  role: string;
  apiKey: string;
}

async function throughApi(api: string, options: AdminCreateOptions): Promise<Created> {
  const response = await fetch(`${api.replace(/\/+$/, '')}/v1/admin/bootstrap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: options.email,
      workspace: options.workspace,
      role: options.role,
      ...(options.name ? { name: options.name } : {}),
    }),
  });
  const body = (await response.json()) as {
    apiKey?: string;
    user?: { email: string };
    workspace?: { name: string };
    role?: string;
    error?: { message: string };
  };
  if (!response.ok || !body.apiKey)
    throw new Error(`The API refused: ${body.error?.message ?? `HTTP ${response.status}`}`);
  return {
    email: body.user?.email ?? options.email,
    workspace: body.workspace?.name ?? options.workspace,
    role: body.role ?? options.role,
    apiKey: body.apiKey,
  };
}

async function throughDatabase(options: AdminCreateOptions): Promise<Created> {
  if (!process.env.MONGODB_URI) {
    throw new Error(
      'MONGODB_URI is not set. With the embedded in-memory database, run this while `flowcard start` runs and pass --api http://localhost:3000 (or set FLOWCARD_API_URL).',
    );
  }
  // require, not import(): see start.ts.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see start.ts
  const { createAdminInDatabase } = require('@flowcard/runtime') as typeof import('@flowcard/runtime');
  const created = await createAdminInDatabase({
    email: options.email,
    workspace: options.workspace,
    role: options.role,
    name: options.name,
  });
  return {
    email: created.user.email,
    workspace: created.workspace.name,
    role: created.role,
    apiKey: created.apiKey,
  };
}
