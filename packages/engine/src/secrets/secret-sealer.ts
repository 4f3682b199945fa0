import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FlowcardError } from '../errors/flowcard-error';
import type { KeyProvider } from '../ports/key-provider';
import type { SealedSecrets } from '../ports/sealed-secrets';
import { secretCodes } from './secret-error-codes';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
/** Binds the ciphertext to its purpose; not to the key id, so re-wrapping leaves it untouched. */
const DATA_AAD = Buffer.from('flowcard.secrets.v1');

/**
 * Envelope encryption of a record's secrets (docs/architecture.md §4): a fresh data key per seal, AES-256-GCM
 * over the JSON, the data key wrapped by the key-encryption key `keyId` (AES-256-GCM with the key
 * id as additional data, so relabelling a blob with another key id fails to open).
 *
 * Errors carry key ids only: never plaintext, data keys or key-encryption keys.
 */
export class SecretSealer {
  constructor(private readonly keyProvider: KeyProvider) {}

  /** Seals under the provider's current key. */
  seal(secrets: Readonly<Record<string, string>>): SealedSecrets {
    const keyId = this.keyProvider.currentKeyId();
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, dataKey, iv);
      cipher.setAAD(DATA_AAD);
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
      return {
        keyId,
        wrappedKey: this.wrap(dataKey, keyId),
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  open(sealed: SealedSecrets): Record<string, string> {
    const dataKey = this.unwrap(sealed);
    try {
      const decipher = createDecipheriv(ALGORITHM, dataKey, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(DATA_AAD);
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const json = Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
        decipher.final(),
      ]);
      return parseSecrets(json.toString('utf8'), sealed.keyId);
    } catch (error) {
      throw openFailed(sealed.keyId, error);
    } finally {
      dataKey.fill(0);
    }
  }

  /** Re-wraps the data key under `newKeyId` (default: current); the ciphertext is unchanged. */
  rewrap(sealed: SealedSecrets, newKeyId: string = this.keyProvider.currentKeyId()): SealedSecrets {
    const dataKey = this.unwrap(sealed);
    try {
      return { ...sealed, keyId: newKeyId, wrappedKey: this.wrap(dataKey, newKeyId) };
    } finally {
      dataKey.fill(0);
    }
  }

  private wrap(dataKey: Buffer, keyId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keyProvider.getKey(keyId), iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
  }

  private unwrap(sealed: SealedSecrets): Buffer {
    // Unknown key id: let the provider's error (naming the id) through unchanged.
    const kek = this.keyProvider.getKey(sealed.keyId);
    try {
      const packed = Buffer.from(sealed.wrappedKey, 'base64');
      const decipher = createDecipheriv(ALGORITHM, kek, packed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(sealed.keyId, 'utf8'));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw openFailed(sealed.keyId, error);
    }
  }
}

function parseSecrets(json: string, keyId: string): Record<string, string> {
  const value: unknown = JSON.parse(json);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw openFailed(keyId);
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(value)) {
    if (typeof secret !== 'string') throw openFailed(keyId);
    out[name] = secret;
  }
  return out;
}

function openFailed(keyId: string, cause?: unknown): FlowcardError {
  if (cause instanceof FlowcardError) return cause;
  // The crypto error is kept out of `cause`: it says nothing useful and must not travel into logs
  // alongside buffers.
  return new FlowcardError(secretCodes.FLOWCARD_ERR_SECRETS_OPEN_FAILED, { keyId });
}
