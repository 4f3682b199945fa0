import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LOG_CAPTURE_DIR_VARIABLE, logCaptureFile } from '../../runtime/src/logging/log-capture';
import { SCHEDULED_FILE } from './log-capture-run';

/**
 * The layout of a run's log capture folder (FLOWCARD_LOG_CAPTURE_DIR):
 * - `<pid>.log`: every line any runtime logger of that process wrote, plus, in jest processes, a
 *   `{"flowcardTestFile":…,"event":"start"|"end"}` line around each test file, so the lines
 *   between belong to that file (a jest process runs one file at a time);
 * - `scheduled.json`: absolute paths of the test files of the run, in order (the sequencer);
 * - `done/<sha1 of path>.json`: one per test file whose environment was torn down.
 */
export const repositoryRoot = resolve(__dirname, '..', '..');

export function captureDirectory(): string | undefined {
  return process.env[LOG_CAPTURE_DIR_VARIABLE] || undefined;
}

/** The environment variable spawned flowcard processes need to write into this run's capture. */
export function captureEnv(): Record<string, string> {
  const directory = captureDirectory();
  return directory ? { [LOG_CAPTURE_DIR_VARIABLE]: directory } : {};
}

const doneDirectory = (directory: string): string => join(directory, 'done');
const markerName = (testPath: string): string => `${createHash('sha1').update(testPath).digest('hex')}.json`;

/** Appends a start/end line for a test file to this process's capture file. */
export function markTestFile(directory: string, testPath: string, event: 'start' | 'end'): void {
  const flowcardTestFile = relative(repositoryRoot, testPath);
  mkdirSync(directory, { recursive: true });
  appendFileSync(
    logCaptureFile(directory),
    `${JSON.stringify({ flowcardTestFile, event, pid: process.pid })}\n`,
  );
}

/** Records that a test file is over (passed or failed): its environment is being torn down. */
export function writeDoneMarker(directory: string, testPath: string): void {
  mkdirSync(doneDirectory(directory), { recursive: true });
  writeFileSync(join(doneDirectory(directory), markerName(testPath)), JSON.stringify({ testPath }));
}

/** Absolute paths of the test files the sequencer scheduled; empty when it did not run. */
export function scheduledTestFiles(directory: string): string[] {
  const file = join(directory, SCHEDULED_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [];
}

export function isDone(directory: string, testPath: string): boolean {
  return existsSync(join(doneDirectory(directory), markerName(testPath)));
}

/** One captured line, with the test file it was written during when a jest process wrote it. */
export interface CapturedLine {
  readonly pid: number;
  readonly lineNumber: number;
  readonly text: string;
  readonly testFile?: string;
}

/** Every line of every `<pid>.log` in the folder (markers excluded). */
export function readCapture(directory: string): CapturedLine[] {
  const lines: CapturedLine[] = [];
  for (const name of readdirSync(directory).filter((entry) => /^\d+\.log$/.test(entry))) {
    const pid = Number(name.slice(0, -'.log'.length));
    let testFile: string | undefined;
    readFileSync(join(directory, name), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (text === '') return;
        const marker = markerOf(text);
        if (marker) {
          testFile = marker.event === 'start' ? marker.flowcardTestFile : undefined;
          return;
        }
        lines.push({ pid, lineNumber: index + 1, text, testFile });
      });
  }
  return lines;
}

function markerOf(text: string): { flowcardTestFile: string; event: string } | undefined {
  if (!text.startsWith('{"flowcardTestFile"')) return undefined;
  return JSON.parse(text) as { flowcardTestFile: string; event: string };
}
