import { createHmac, timingSafeEqual } from 'node:crypto';

export type MetaSignatureCheck = { ok: true } | { ok: false; reason: string };

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. The body must be
 * the bytes Meta sent (before JSON parsing: re-serialising changes them). The comparison is
 * constant-time and length-safe; the reason never contains the body or the secret, so it can be
 * logged as is.
 */
export function verifyMetaSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): MetaSignatureCheck {
  if (!header) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
  const match = HEADER.exec(header.trim());
  if (!match)
    return { ok: false, reason: 'malformed X-Hub-Signature-256 header (expected sha256=<64 hex digits>)' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  // Both are 32 bytes here (the pattern fixes the length), but keep the guard: timingSafeEqual throws otherwise.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match the body' };
  }
  return { ok: true };
}

/** Signs a body the way Meta does: for the emulator side of tests and benchmarks. */
export function signMetaBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
