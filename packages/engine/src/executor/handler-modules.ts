import type { CardHandler } from '@flowcard/sdk';
import { cardErrorFor } from '../errors/classify-http-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';

// Modules are required once; require's own cache would also do, but this skips resolving the path
// and checking the export on every run.
const handlers = new Map<string, CardHandler<unknown, unknown>>();

/**
 * The default export of a handler module (a `.ts` file works when the process runs under tsx or
 * jest; a `.js` one always). A module without a function export fails the run as `invalid`; the
 * message names it as `shownAs` (its path inside the connector: run records never show server paths).
 */
export function loadHandlerModule(path: string, shownAs: string = path): CardHandler<unknown, unknown> {
  const cached = handlers.get(path);
  if (cached) return cached;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(path) as { default?: unknown } | unknown;
  const candidate = typeof loaded === 'function' ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (typeof candidate !== 'function')
    throw cardErrorFor(codes.FLOWCARD_ERR_HANDLER_INVALID, { path: shownAs });
  const handler = candidate as CardHandler<unknown, unknown>;
  handlers.set(path, handler);
  return handler;
}
