import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packConnector, type RegistryEntry } from '@flowcard/engine';
import { runProcess, runFlowcard } from './run-flowcard';

// Published bundles live in a deployment's data directory. A bundle written there by a runtime
// whose checkout has since been deleted must still load in the next runtime, and its handler must
// still import @flowcard/sdk: nothing in the data directory may point at a checkout.
let scratch: string;
let dataDir: string;
let entryFile: string;

const runner = join(__dirname, 'support', 'run-installed-handler.ts');

function runInstalled(text: string): ReturnType<typeof runProcess> {
  const cacheDir = join(dataDir, 'connectors');
  return runProcess(process.execPath, [
    '-r',
    'tsx/cjs',
    runner,
    entryFile,
    cacheDir,
    'shout',
    JSON.stringify({ text }),
  ]);
}

async function symlinksUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) found.push(path);
    else if (stat.isDirectory()) found.push(...(await symlinksUnder(path)));
  }
  return found;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'flowcard-bundle-outlives-'));
  dataDir = join(scratch, 'data');
  const init = await runFlowcard(['connector', 'init', 'shouter', '--dir', scratch]);
  expect(init.stderr).toBe('');
  const dir = join(scratch, 'shouter');
  await mkdir(join(dir, 'handlers'));
  await writeFile(
    join(dir, 'handlers', 'shout.ts'),
    "import { defineHandler } from '@flowcard/sdk';\nexport default defineHandler<{ text: string }, { text: string }>(async (_ctx, input) => ({ text: input.text.toUpperCase() }));\n",
  );
  await writeFile(
    join(dir, 'cards', 'shout.json'),
    JSON.stringify({
      key: 'shout',
      kind: 'action',
      title: 'Shout',
      description: 'Upper-cases a text.',
      input: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      output: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      handler: 'handlers/shout.ts',
    }),
  );
  const packed = await packConnector(dir);
  expect(packed.problems).toEqual([]);
  const bundle = packed.bundle!;
  const entry: RegistryEntry = {
    id: 'entry-1',
    name: bundle.name,
    version: bundle.version,
    major: Number(bundle.version.split('.')[0]),
    manifest: bundle.manifest as unknown as RegistryEntry['manifest'],
    cards: bundle.cards as unknown as RegistryEntry['cards'],
    handlers: bundle.handlers,
    contentHash: bundle.contentHash,
    lifecycle: 'active',
    publishedBy: null,
    workspaceId: null,
    publishedAt: new Date(),
  };
  entryFile = join(scratch, 'entry.json');
  await writeFile(entryFile, JSON.stringify(entry));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

it('installs a bundle into the data directory without linking to the checkout that installed it', async () => {
  const first = await runInstalled('hello');
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout)).toEqual({ text: 'HELLO' });
  expect(await symlinksUnder(dataDir)).toEqual([]);
});

it("runs a bundle left by a deleted checkout, even beside that checkout's dangling SDK link", async () => {
  // What an earlier runtime version left in its bundles folder: a link to an SDK that is gone.
  const leftover = join(dataDir, 'connectors', 'node_modules', '@flowcard', 'sdk');
  await mkdir(join(leftover, '..'), { recursive: true });
  await symlink(join(scratch, 'deleted-checkout', 'packages', 'sdk'), leftover, 'dir');

  const again = await runInstalled('still here');
  expect(again.stderr).toBe('');
  expect(JSON.parse(again.stdout)).toEqual({ text: 'STILL HERE' });
});
