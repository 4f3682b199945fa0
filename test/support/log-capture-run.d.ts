/** The log capture folder of this jest run (see log-capture-run.js). */
export declare function captureDirectoryOfThisRun(): string;
/** Name of the file, inside the capture folder, listing the absolute paths of the scheduled test files. */
export declare const SCHEDULED_FILE: string;
/** The test file the sequencer runs last, relative to the repository root. */
export declare const LAST_TEST_FILE: string;
