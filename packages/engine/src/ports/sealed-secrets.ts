/**
 * An envelope-encrypted secrets record, as stored. All binary fields are base64.
 *
 * - `ciphertext`, `iv`, `tag`: AES-256-GCM over the JSON of the secrets, under a random data key
 *   that belongs to this record alone.
 * - `wrappedKey`: that data key encrypted with the key-encryption key `keyId` (AES-256-GCM, the key
 *   id as additional data), packed as iv (12 bytes) ‖ tag (16 bytes) ‖ encrypted key (32 bytes).
 *
 * Re-wrapping under another key changes `keyId` and `wrappedKey` only.
 */
export interface SealedSecrets {
  readonly keyId: string;
  readonly wrappedKey: string;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}
