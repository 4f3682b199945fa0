import { createHash } from 'node:crypto';

/**
 * Master keys for tests that configure FLOWCARD_MASTER_KEYS themselves. Derived from fixed labels,
 * not random, so the secret scan of the log capture (test/security/no-secrets-in-logs.test.ts) knows
 * every one of them. Never use them outside tests.
 */
export const testMasterKeys = {
  k1: createHash('sha256').update('flowcard test master key k1').digest('base64'),
  k2: createHash('sha256').update('flowcard test master key k2').digest('base64'),
} as const;

/** `FLOWCARD_MASTER_KEYS` for the given ids, e.g. masterKeysEnv('k1', 'k2') → "k1:…,k2:…". */
export function masterKeysEnv(...ids: Array<keyof typeof testMasterKeys>): string {
  return ids.map((id) => `${id}:${testMasterKeys[id]}`).join(',');
}
