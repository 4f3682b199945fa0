import type { SealedSecrets } from './sealed-secrets';

/** One record's sealed blob, as seen by key rotation. */
export interface SealedSecretsRecord {
  readonly id: string;
  readonly sealed: SealedSecrets;
}

/**
 * A repository that stores sealed secrets and lets key rotation re-wrap them without touching the
 * record's version or updatedAt (re-wrapping changes no content a user could see).
 */
export interface SealedSecretsHolder {
  /** Stable name for progress and failure reports, e.g. "configurations". */
  readonly sealedSecretsKind: string;
  /** How many records hold a sealed blob whose keyId is not `keyId`. */
  countSealedNotUnder(keyId: string): Promise<number>;
  /** Up to `limit` such records with id > `afterId`, ordered by id (a resumable single pass). */
  listSealedNotUnder(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<SealedSecretsRecord[]>;
  /**
   * Replaces the blob only if it still equals `expected` (compare-and-set on keyId + wrappedKey), so
   * a concurrent token update is never overwritten. Returns false when the record changed or is gone.
   */
  replaceSealed(id: string, expected: SealedSecrets, next: SealedSecrets): Promise<boolean>;
}
