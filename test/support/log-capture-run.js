// The log capture folder of one jest run: created once by whichever of the sequencer or globalSetup
// asks first (both run in jest's main process; the sequencer runs first), exported to every worker
// and spawned flowcard process through FLOWCARD_LOG_CAPTURE_DIR (runtime/src/logging/log-capture.ts).
// FLOWCARD_LOG_CAPTURE_RUN holds the pid of the jest process that created it, so a variable
// inherited from an outer shell or an outer jest run is never reused: each run starts empty.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SCHEDULED_FILE = 'scheduled.json';
const LAST_TEST_FILE = join('test', 'security', 'no-secrets-in-logs.test.ts');

function captureDirectoryOfThisRun() {
  const owner = String(process.pid);
  if (process.env.FLOWCARD_LOG_CAPTURE_DIR && process.env.FLOWCARD_LOG_CAPTURE_RUN === owner) {
    return process.env.FLOWCARD_LOG_CAPTURE_DIR;
  }
  const directory = mkdtempSync(join(tmpdir(), 'flowcard-log-capture-'));
  process.env.FLOWCARD_LOG_CAPTURE_DIR = directory;
  process.env.FLOWCARD_LOG_CAPTURE_RUN = owner;
  return directory;
}

module.exports = { captureDirectoryOfThisRun, SCHEDULED_FILE, LAST_TEST_FILE };
