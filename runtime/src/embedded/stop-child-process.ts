import type { ChildProcess } from 'node:child_process';

/**
 * Stops an embedded server: SIGTERM, then SIGKILL after a grace period, resolving once it exited.
 * Embedded servers keep nothing on disk, so a forced kill loses nothing that SIGTERM would keep.
 */
export function stopChildProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
