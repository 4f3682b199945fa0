import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every test/bench/*.bench.ts in turn (or those named on the command line).
 * A bench file's default export runs its own baseline and candidate in the same process and prints
 * its lines itself; benchmarks report ratios, never absolute pass/fail timings.
 */
async function run(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  for (const file of files) {
    process.stdout.write(`\n== ${file.replace(/\.bench\.ts$/, '')} ==\n`);
    const mod = (await import(join(__dirname, file))) as { default: () => Promise<void> };
    await mod.default();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
