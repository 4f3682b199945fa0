import { randomBytes } from 'node:crypto';
import type { MasterKey } from '../config/runtime-config';

/**
 * A key-encryption key that lives only as long as this process: secrets sealed with it cannot be
 * read after a restart. Only for the embedded (in-memory) setup, where the data dies with the process
 * anyway.
 */
export function ephemeralMasterKey(): MasterKey {
  return { id: `ephemeral-${randomBytes(4).toString('hex')}`, key: randomBytes(32) };
}
