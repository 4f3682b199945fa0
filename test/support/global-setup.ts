import { startJongodb } from '../../runtime/src/embedded/jongodb';
import { captureDirectoryOfThisRun } from './log-capture-run';

/**
 * Prepares the run: a fresh log capture folder (FLOWCARD_LOG_CAPTURE_DIR, inherited by workers and
 * spawned flowcard processes; test/security/no-secrets-in-logs.test.ts scans it last), and one
 * MongoDB-compatible server for the whole run unless MONGODB_URI points at a real one. Every test
 * file then uses its own database on it (see test/support/mongo.ts).
 */
export default async function globalSetup(): Promise<void> {
  captureDirectoryOfThisRun();
  if (process.env.MONGODB_URI) return;
  const mongo = await startJongodb();
  process.env.MONGODB_URI = mongo.uri;
  (globalThis as { __flowcardMongo?: { stop(): Promise<void> } }).__flowcardMongo = mongo;
}
