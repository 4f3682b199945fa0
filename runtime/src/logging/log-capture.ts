import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';

/**
 * Names the folder where every runtime logger of this process also writes its lines. It is read
 * from the process environment, not from the runtime configuration, on purpose: the capture belongs
 * to the process (one file per pid, shared by every runtime a test process starts), and test
 * harnesses start runtimes with an explicit `env` that would otherwise have to repeat it.
 */
export const LOG_CAPTURE_DIR_VARIABLE = 'FLOWCARD_LOG_CAPTURE_DIR';

/** The file this process's lines go to inside the capture folder. */
export const logCaptureFile = (directory: string, pid: number = process.pid): string =>
  join(directory, `${pid}.log`);

/**
 * A destination appending each line synchronously to `<dir>/<pid>.log`, or undefined when no
 * capture folder is set. Synchronous appends (open, write, close per line) lose nothing when the
 * process exits or is killed right after logging, and leave no descriptor open across the many
 * runtimes one test process may start; the cost only matters in test runs, the only place a
 * capture is set.
 */
export function logCaptureDestination(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DestinationStream | undefined {
  const directory = env[LOG_CAPTURE_DIR_VARIABLE]?.trim();
  if (!directory) return undefined;
  mkdirSync(directory, { recursive: true });
  const file = logCaptureFile(directory);
  return {
    write(line: string): void {
      try {
        appendFileSync(file, line);
      } catch {
        // The folder is removed at the end of a test run; a process still logging after that must
        // not fail because its capture is gone.
      }
    },
  };
}
