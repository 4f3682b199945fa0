import { randomBytes } from 'node:crypto';
import { hashToken } from './token-hash';

/** A freshly generated API key: `key` is shown to the user once; only `id` and `hash` are stored. */
export interface GeneratedApiKey {
  /** Public prefix id, also the stored record id. */
  readonly id: string;
  /** "fc_<id>_<secret>". */
  readonly key: string;
  /** hex SHA-256 of `key`: what UserRepository.findByApiKeyHash looks up. */
  readonly hash: string;
}

const KEY_FORMAT = /^fc_([a-f0-9]{12})_[A-Za-z0-9_-]{43}$/;

/** Generates an API key with 256 bits of secret. */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(6).toString('hex');
  const key = `fc_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashToken(key) };
}

/** The prefix id of a well-formed key, or null (lets callers reject garbage before a lookup). */
export function apiKeyId(key: string): string | null {
  return KEY_FORMAT.exec(key)?.[1] ?? null;
}
