import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
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

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }

  override async setup(): Promise<void> {
    await super.setup();
    this.bookkeep((directory) => markTestFile(directory, this.testPath, 'start'));
  }

  override async teardown(): Promise<void> {
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
