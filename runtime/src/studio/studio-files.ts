import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';

/** Where the Studio package lives (the `@flowcard/studio` workspace), or undefined when not installed. */
export function studioPackageDir(): string | undefined {
  try {
    return dirname(require.resolve('@flowcard/studio/package.json'));
  } catch {
    return undefined;
  }
}

/** The Studio's built files (`packages/studio/dist`), or undefined when the package is missing. */
export function studioDistDir(): string | undefined {
  const dir = studioPackageDir();
  return dir ? join(dir, 'dist') : undefined;
}

/** True when the build output has its index.html. */
export function studioIsBuilt(dist = studioDistDir()): boolean {
  return dist !== undefined && existsSync(join(dist, 'index.html'));
}

/**
 * The install builds the Studio (root `prepare` script); a clone installed without scripts, or a
 * deleted dist/, is built here once before the API listens. A failed build is logged and the API
 * starts anyway: the Studio's address then answers 503 saying how to build it.
 */
export function ensureStudioBuilt(logger: Logger): boolean {
  const pkg = studioPackageDir();
  if (!pkg) return false;
  if (studioIsBuilt()) return true;
  logger.info('The Studio is not built yet: building it once (packages/studio)');
  const result = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-if-changed.mjs')], {
    cwd: pkg,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0 || !studioIsBuilt()) {
    logger.error(
      { exitCode: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.slice(-2000) },
      'Building the Studio failed: run "npm run build -w @flowcard/studio" to see why',
    );
    return false;
  }
  return true;
}
