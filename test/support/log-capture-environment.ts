import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import { captureDirectory, markTestFile, writeDoneMarker } from './log-capture';

/**
 * jest's node environment plus the bookkeeping of the log capture: a start line before the file
 * runs, an end line and a "done" marker once it is over. Teardown, not a setupFilesAfterEnv
 * `afterAll`, because jest runs root-level `afterAll` hooks in the order they were declared: one
 * from a setup file would run before the test file's own (which stop runtimes and still log), and
 * teardown also runs when the file failed or threw while loading.
 */
export default class LogCaptureEnvironment extends TestEnvironment {
  private readonly testPath: string;
  private dataDir: string | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }

  override async setup(): Promise<void> {
    await super.setup();
    // Each test file gets a data directory of its own (published bundles, the embedded emulator's
    // port, embedded snapshots): runtimes of different files must not share what a deployment keeps.
    // A file that sets FLOWCARD_DATA_DIR itself for a runtime still wins.
    this.dataDir = mkdtempSync(join(tmpdir(), 'flowcard-test-data-'));
    (this.global.process as NodeJS.Process).env.FLOWCARD_DATA_DIR = this.dataDir;
    this.bookkeep((directory) => markTestFile(directory, this.testPath, 'start'));
  }

  override async teardown(): Promise<void> {
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    this.bookkeep((directory) => {
      markTestFile(directory, this.testPath, 'end');
      writeDoneMarker(directory, this.testPath);
    });
    await super.teardown();
  }

  /** Bookkeeping never fails a test file: a missing marker is reported by the secret scan instead. */
  private bookkeep(write: (directory: string) => void): void {
    const directory = captureDirectory();
    if (!directory) return;
    try {
      write(directory);
    } catch (error) {
      process.stderr.write(`log capture bookkeeping failed for ${this.testPath}: ${String(error)}\n`);
    }
  }
}
