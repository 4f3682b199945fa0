import { FlowcardError } from '../errors/flowcard-error';
import type { KeyProvider } from '../ports/key-provider';
import { secretCodes } from './secret-error-codes';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;

/**
 * Key-encryption keys from the environment:
 *
 *   FLOWCARD_MASTER_KEYS="k1:<base64 of 32 bytes>,k2:<base64 of 32 bytes>"
 *   FLOWCARD_MASTER_KEY_ID="k2"   (required when more than one key is listed)
 *
 * Rotation: add the new key to the list, point FLOWCARD_MASTER_KEY_ID at it, run
 * `flowcard keys rotate`, then drop the old key.
 */
export class EnvKeyProvider implements KeyProvider {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: string;

  constructor(keys: ReadonlyMap<string, Buffer>, currentKeyId: string) {
    for (const [id, key] of keys) {
      if (!KEY_ID.test(id)) throw invalid(`key id "${id}" must match ${KEY_ID.source}`);
      if (key.length !== KEY_BYTES)
        throw invalid(`key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    if (!keys.has(currentKeyId)) {
      throw invalid(
        `the current key id "${currentKeyId}" is not among the configured keys (${[...keys.keys()].join(', ')})`,
      );
    }
    this.keys = new Map(keys);
    this.current = currentKeyId;
  }

  /** Reads FLOWCARD_MASTER_KEYS and FLOWCARD_MASTER_KEY_ID. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): EnvKeyProvider {
    const list = env.FLOWCARD_MASTER_KEYS?.trim();
    if (!list) throw invalid('FLOWCARD_MASTER_KEYS is not set (format: "k1:<base64 of 32 bytes>,k2:…")');
    const keys = parseMasterKeys(list);
    const currentKeyId = env.FLOWCARD_MASTER_KEY_ID?.trim() || soleKeyId(keys);
    return new EnvKeyProvider(keys, currentKeyId);
  }

  currentKeyId(): string {
    return this.current;
  }

  getKey(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new FlowcardError(secretCodes.FLOWCARD_ERR_SECRETS_UNKNOWN_KEY, { keyId });
    return key;
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  keyIds(): readonly string[] {
    return [...this.keys.keys()];
  }
}

/** Parses "id:base64,id:base64"; errors name the entry, never its value. */
export function parseMasterKeys(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  list.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    if (colon <= 0) throw invalid(`entry ${index + 1} must look like "<keyId>:<base64 of 32 bytes>"`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw invalid(`key "${id}" is not base64`);
    if (keys.has(id)) throw invalid(`key id "${id}" is listed twice`);
    keys.set(id, Buffer.from(encoded, 'base64'));
  });
  return keys;
}

function soleKeyId(keys: ReadonlyMap<string, Buffer>): string {
  if (keys.size === 1) return [...keys.keys()][0]!;
  throw invalid(
    `FLOWCARD_MASTER_KEY_ID must name the current key when several keys are listed (${[...keys.keys()].join(', ')})`,
  );
}

function invalid(reason: string): FlowcardError {
  return new FlowcardError(secretCodes.FLOWCARD_ERR_SECRETS_KEYS_INVALID, { reason });
}
