import { createHash } from 'node:crypto';

/**
 * hex SHA-256 of a high-entropy bearer value (API key, OAuth state). These are random, so a plain
 * hash is enough to make a stolen database useless for replay; no salt or slow hash needed.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
