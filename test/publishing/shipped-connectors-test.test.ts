import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runFlowcard } from './run-flowcard';

// `npx flowcard connector test connectors/<name>`, exactly as the author guide says, for every
// connector the repository ships: each example of each card runs against the in-process emulator.
const shipped: ReadonlyArray<[name: string, summary: string]> = [
  ['workplace', '20 passed, 0 failed, 0 skipped'],
  ['facebook-pages', '13 passed, 0 failed, 0 skipped'],
  ['facebook-leads', '5 passed, 0 failed, 1 skipped'],
];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'flowcard-shipped-connectors-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('flowcard connector test on the shipped connectors', () => {
  it.each(shipped)(
    'passes every example of %s with its test/connector-test.config.json',
    async (name, summary) => {
      const result = await runFlowcard(['connector', 'test', join('connectors', name)]);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(
          `^${name}@\\d+\\.\\d+\\.\\d+ against the Meta emulator at http://127\\.0\\.0\\.1:\\d+ with test/connector-test\\.config\\.json`,
        ),
      );
      expect(lines.filter((line) => line.startsWith('  ✗'))).toEqual([]);
      expect(lines[lines.length - 1]).toBe(summary);
      expect(result.code).toBe(0);
    },
  );

  it('runs the Pages examples at the time the config pins, so schedule-post keeps its fixed date', async () => {
    const result = await runFlowcard(['connector', 'test', join('connectors', 'facebook-pages')]);
    expect(result.stdout.split('\n')[0]).toMatch(/ at 2026-03-30T08:00:00\.000Z$/);
    expect(result.stdout).toMatch(/\n {2}✓ schedule-post #1: 1 call, \d+ ms\n/);
  });

  it('fails schedule-post without the pinned time: its date is in the past', async () => {
    const config = JSON.parse(
      await readFile(
        join(repoRoot, 'connectors', 'facebook-pages', 'test', 'connector-test.config.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    delete config.now;
    const unpinned = join(scratch, 'unpinned.json');
    await writeFile(unpinned, JSON.stringify(config));
    const result = await runFlowcard([
      'connector',
      'test',
      join('connectors', 'facebook-pages'),
      '--config',
      unpinned,
    ]);
    expect(result.stdout).toMatch(
      /\n {2}✗ schedule-post #1: FLOWCARD_ERR_INVALID_INPUT: publishAt must be at least 10 minutes ahead: 2026-04-01T08:00:00\.000Z is -\d+ days from now\.\n/,
    );
    expect(result.code).toBe(1);
  });

  it('refuses a "now" that is not an ISO date-time, naming the file', async () => {
    const config = join(scratch, 'bad-now.json');
    await writeFile(config, JSON.stringify({ now: 'next Tuesday', values: {}, secrets: {} }));
    const result = await runFlowcard([
      'connector',
      'test',
      join('connectors', 'facebook-pages'),
      '--config',
      config,
    ]);
    expect(result.stderr).toBe(
      `✗ ${config}: "now" must be an ISO date-time, e.g. "2026-03-30T08:00:00Z"; got "next Tuesday"\n`,
    );
    expect(result.code).toBe(1);
  });
});
