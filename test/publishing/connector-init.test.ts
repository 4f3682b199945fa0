import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { repoRoot, runFlowcard, runProcess } from './run-flowcard';

// The scaffold goes under the repo (not /tmp) so the generated test resolves @flowcard/engine and
// runs with the repo's jest config, exactly as in connectors/. Removed after each test.
let parent: string;
beforeEach(async () => {
  parent = join(__dirname, `.scaffold-${randomBytes(4).toString('hex')}`);
  await mkdir(parent);
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('flowcard connector init', () => {
  it('scaffolds a bearer connector that validates and whose generated test passes with the repo jest', async () => {
    const init = await runFlowcard(['connector', 'init', 'acme-crm', '--dir', parent]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const dir = join(parent, 'acme-crm');
    for (const file of [
      'package.json',
      'connector.json',
      'cards/get-me.json',
      'README.md',
      'test/get-me.test.ts',
    ]) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    const manifest = JSON.parse(await readFile(join(dir, 'connector.json'), 'utf8'));
    expect(manifest.configurations.default.auth).toEqual({ kind: 'bearer', tokenField: 'accessToken' });
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).flowcard).toEqual({
      connector: 'connector.json',
    });

    const validate = await runFlowcard(['connector', 'validate', dir]);
    expect(validate.stdout).toBe('✓ acme-crm@0.1.0: 1 card valid\n');

    const jest = await runProcess(process.execPath, [
      join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
      relative(repoRoot, dir),
      '--ci',
    ]);
    expect(jest.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(jest.code).toBe(0);
  }, 120_000);

  it('scaffolds a connector without credentials when asked for auth none', async () => {
    expect(
      (await runFlowcard(['connector', 'init', 'open-data', '--dir', parent, '--auth', 'none'])).code,
    ).toBe(0);
    const manifest = JSON.parse(await readFile(join(parent, 'open-data', 'connector.json'), 'utf8'));
    expect(manifest.configurations.default.auth).toEqual({ kind: 'none' });
    expect(manifest.title).toBe('Open Data');
    expect((await runFlowcard(['connector', 'validate', join(parent, 'open-data')])).code).toBe(0);
  });

  it('refuses a name that is not lower-case words joined by dashes', async () => {
    const result = await runFlowcard(['connector', 'init', 'Acme CRM', '--dir', parent]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      '✗ "Acme CRM" is not a connector name: use lower-case words joined by dashes, e.g. acme-crm\n',
    );
  });

  it('refuses to scaffold over a folder that already has files', async () => {
    await mkdir(join(parent, 'taken'));
    await writeFile(join(parent, 'taken', 'keep.txt'), 'mine');
    const result = await runFlowcard(['connector', 'init', 'taken', '--dir', parent]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists and is not empty');
    expect(await readFile(join(parent, 'taken', 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('flowcard connector test', () => {
  it('runs the scaffolded example against the Meta emulator and passes', async () => {
    await runFlowcard(['connector', 'init', 'acme-crm', '--dir', parent]);
    const result = await runFlowcard(['connector', 'test', join(parent, 'acme-crm')]);
    expect(result.stdout).toMatch(
      /^acme-crm@0\.1\.0 against the Meta emulator at http:\/\/127\.0\.0\.1:\d+\n/,
    );
    expect(result.stdout).toMatch(
      / {2}✓ get-me #1 \(The connected account\): 1 call, \d+ ms\n1 passed, 0 failed, 0 skipped\n$/,
    );
    expect(result.code).toBe(0);
  });
});

describe('flowcard connector pack', () => {
  it('writes <name>-<version>.flowcard.json in the current folder', async () => {
    await runFlowcard(['connector', 'init', 'acme-crm', '--dir', parent]);
    const result = await runFlowcard(['connector', 'pack', 'acme-crm'], parent);
    expect(result.code).toBe(0);
    const bundle = JSON.parse(await readFile(join(parent, 'acme-crm-0.1.0.flowcard.json'), 'utf8'));
    expect(bundle).toMatchObject({
      format: 'flowcard-connector-bundle/1',
      name: 'acme-crm',
      version: '0.1.0',
      handlers: [],
    });
    expect(result.stdout).toContain(
      `✓ packed acme-crm@0.1.0 (1 card, 0 handler files) → ${join(parent, 'acme-crm-0.1.0.flowcard.json')}`,
    );
    expect(result.stdout).toContain(`content hash ${bundle.contentHash}`);
  });

  it('refuses a broken connector with its problem lines and writes nothing', async () => {
    await runFlowcard(['connector', 'init', 'acme-crm', '--dir', parent]);
    const card = join(parent, 'acme-crm', 'cards', 'get-me.json');
    await writeFile(card, (await readFile(card, 'utf8')).replace('{{input.fields}}', '{{input.field}}'));
    const result = await runFlowcard(['connector', 'pack', 'acme-crm', '--out', 'out.json'], parent);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'acme-crm/cards/get-me.json: /request/query/fields: template {{input.field}} names input "field"',
    );
    expect(result.stderr).toMatch(/✗ acme-crm: 1 problem; nothing packed\n$/);
    expect(existsSync(join(parent, 'out.json'))).toBe(false);
  });
});
