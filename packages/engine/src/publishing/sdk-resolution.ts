import Module from 'node:module';
import { resolve, sep } from 'node:path';

type ResolveFilename = (
  request: string,
  parent: { filename?: string | null } | undefined,
  ...rest: unknown[]
) => string;

const bundleRoots = new Set<string>();
let sdkEntry: string | undefined;

/**
 * Lets handlers of published bundles under `root` import `@flowcard/sdk`, resolved from this
 * process's own installation. Nothing is written to disk for it (no symlink, no copied package):
 * a folder of bundles therefore never points at a checkout, and a bundle installed by a runtime
 * that has since been deleted loads in the next one. Only the exact request `@flowcard/sdk` made
 * from a file inside a registered root is redirected; every other resolution is untouched.
 *
 * jest resolves modules itself (Module._resolveFilename is not consulted); its config maps
 * `@flowcard/sdk` the same way (jest.config.js `moduleNameMapper`).
 */
export function resolveSdkForBundlesIn(root: string): void {
  bundleRoots.add(resolve(root) + sep);
  if (sdkEntry) return;
  sdkEntry = require.resolve('@flowcard/sdk');
  const loader = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
    if (request === '@flowcard/sdk' && sdkEntry && isInBundle(parent?.filename)) return sdkEntry;
    return original.call(this, request, parent, ...rest);
  };
}

function isInBundle(filename: string | null | undefined): boolean {
  if (!filename) return false;
  for (const root of bundleRoots) if (filename.startsWith(root)) return true;
  return false;
}
