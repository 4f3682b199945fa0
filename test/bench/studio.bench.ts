import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startRuntime } from '@flowcard/runtime';
import { launchChromium } from '../studio/support/chromium';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'packages', 'studio', 'dist');
const BUDGET_KB = 250;
const ROUNDS = Number(process.env.BENCH_STUDIO_ROUNDS ?? 7);

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The JavaScript a first visit downloads: index.html's module script and its modulepreloads. */
function firstLoadJs(): { files: string[]; gzipBytes: number; rawBytes: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g),
  ].map((match) => match[1]!);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const file of files) {
    const content = readFileSync(join(DIST, file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files, gzipBytes, rawBytes };
}

/**
 * `npm run bench -- studio`: the Studio's first-load JavaScript (gzipped, against the 250 kB
 * budget) and, in Chromium against a real runtime, the time from navigation to an interactive
 * Integrations hub (the "+ Connect Workplace from Meta" button enabled: catalog, connector details,
 * configurations and session loaded), with a bare navigation to /health in the same browser as the
 * baseline.
 */
export default async function studioBench(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'packages/studio/scripts/build-if-changed.mjs')], {
    stdio: 'ignore',
  });
  const js = firstLoadJs();
  process.stdout.write(
    `first-load JS: ${kb(js.gzipBytes)} gzipped (${kb(js.rawBytes)} raw, ${js.files.length} files); budget ${BUDGET_KB} kB → ${((js.gzipBytes / 1024 / BUDGET_KB) * 100).toFixed(0)}% of budget\n`,
  );

  const prefix = `bench_studio_${randomBytes(3).toString('hex')}`;
  // A fresh deployment each run (embedded mode keeps its data in FLOWCARD_DATA_DIR).
  const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-bench-studio-'));
  const handle = await startRuntime({
    roles: ['api'],
    banner: false,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      FLOWCARD_REDIS_PREFIX: prefix,
      FLOWCARD_DATA_DIR: dataDir,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    },
  });
  const browser = await launchChromium();
  try {
    const url = handle.http!.url;
    const context = await browser.newContext({ baseURL: url });
    const setup = await context.request.post('/v1/setup', {
      data: {
        workspaceName: 'Bench',
        name: 'Bench Owner',
        email: 'bench@example.com',
        password: 'bench password 1',
      },
    });
    if (setup.status() !== 201) throw new Error(`setup answered ${setup.status()}: ${await setup.text()}`);
    const page = await context.newPage();
    const hub: number[] = [];
    const bare: number[] = [];
    // One warm-up of each (Chromium's first navigation pays for its own start-up).
    for (let round = 0; round <= ROUNDS; round++) {
      await page.goto('about:blank');
      let started = performance.now();
      await page.goto('/health');
      const bareMs = performance.now() - started;
      await page.goto('about:blank');
      started = performance.now();
      await page.goto('/settings/integrations');
      await page
        .getByRole('button', { name: '+ Connect Workplace from Meta' })
        .and(page.locator(':enabled'))
        .waitFor();
      const hubMs = performance.now() - started;
      if (round > 0) {
        hub.push(hubMs);
        bare.push(bareMs);
      }
    }
    const hubMedian = median(hub);
    const bareMedian = median(bare);
    process.stdout.write(
      `navigation → interactive Integrations hub: median ${hubMedian.toFixed(0)} ms over ${ROUNDS} rounds (min ${Math.min(...hub).toFixed(0)}, max ${Math.max(...hub).toFixed(0)})\n` +
        `baseline, navigation → /health (JSON, no app): median ${bareMedian.toFixed(0)} ms\n` +
        `ratio hub/baseline: ${(hubMedian / bareMedian).toFixed(1)}×\n`,
    );
  } finally {
    await browser.close();
    await handle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
