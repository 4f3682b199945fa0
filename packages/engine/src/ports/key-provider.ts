/**
 * Supplies key-encryption keys (KEKs) by id. Data keys are wrapped with the current key; every
 * configured key stays readable so records sealed under an older key open until
 * `flowcard keys rotate` has re-wrapped them.
 */
export interface KeyProvider {
  /** Id of the key that new data keys are wrapped with. */
  currentKeyId(): string;
  /**
   * The 32-byte key for `keyId`. Throws FLOWCARD_ERR_SECRETS_UNKNOWN_KEY naming the id (never
   * any key material) when the id is not configured.
   */
  getKey(keyId: string): Buffer;
  /** Whether `keyId` is configured (readable). */
  hasKey(keyId: string): boolean;
  /** Every configured key id, current one included. */
  keyIds(): readonly string[];
}
