const MIN_WAIT_MS = 60_000;

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined/false, or fails
 * naming `what` (and the last error `check` threw) after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  // At least a minute, whatever the caller asked: the bound only decides how long a failing test
  // waits, and a busy 2-core CI machine can take many seconds for what takes milliseconds here.
  const deadline = Date.now() + Math.max(timeoutMs, MIN_WAIT_MS);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
