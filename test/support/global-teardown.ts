import { rmSync } from 'node:fs';

/**
 * Stops what globalSetup started and removes the run's log capture folder, unless
 * FLOWCARD_KEEP_LOG_CAPTURE is set (to read it after a failed secret scan; the scan names the path).
 */
export default async function globalTeardown(): Promise<void> {
  const mongo = (globalThis as { __flowcardMongo?: { stop(): Promise<void> } }).__flowcardMongo;
  await mongo?.stop();
  const capture = process.env.FLOWCARD_LOG_CAPTURE_DIR;
  if (
    capture &&
    process.env.FLOWCARD_LOG_CAPTURE_RUN === String(process.pid) &&
    !process.env.FLOWCARD_KEEP_LOG_CAPTURE
  ) {
    rmSync(capture, { recursive: true, force: true });
  }
}
