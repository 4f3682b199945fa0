// Orders the run like jest's own sequencer, then moves the secret scan of the log capture
// (test/security/no-secrets-in-logs.test.ts) to the very end, and writes the list of scheduled files
// into the capture folder so that scan knows which files it must wait for. JavaScript, like
// summary-reporter.js, because jest loads the sequencer without its TypeScript transform.
//
// Jest sorts before it runs globalSetup, so the capture folder of the run is created here (and
// globalSetup keeps it: see log-capture-run.js).
const { writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { captureDirectoryOfThisRun, SCHEDULED_FILE, LAST_TEST_FILE } = require('./log-capture-run');

class LogCaptureSequencer extends Sequencer {
  async sort(tests) {
    const sorted = [...(await super.sort(tests))];
    const isLast = (test) => relative(test.context.config.rootDir, test.path) === LAST_TEST_FILE;
    const ordered = [...sorted.filter((test) => !isLast(test)), ...sorted.filter(isLast)];
    const directory = captureDirectoryOfThisRun();
    writeFileSync(
      join(directory, SCHEDULED_FILE),
      JSON.stringify(
        ordered.map((test) => test.path),
        null,
        1,
      ),
    );
    return ordered;
  }
}

module.exports = LogCaptureSequencer;
