import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name (HttpOnly, SameSite=Lax, Path=/, Secure on https). */
export const SESSION_COOKIE = 'flowcard_session';
/** The header carrying the CSRF token on cookie-authenticated unsafe requests. */
export const CSRF_HEADER = 'x-csrf-token';

const SESSION_TOKEN = /^fcs_[A-Za-z0-9_-]{43}$/;

/** A new session token: `fcs_` + 256 random bits (base64url). Only its SHA-256 is stored. */
export function generateSessionToken(): string {
  return `fcs_${randomBytes(32).toString('base64url')}`;
}

export function isSessionToken(value: string): boolean {
  return SESSION_TOKEN.test(value);
}

/**
 * The CSRF token of a session: an HMAC of a fixed label keyed with the session's secret token. It is
 * bound to the session (another session's token never matches), needs no storage, and cannot be
 * computed without the HttpOnly cookie, which page scripts of other sites never read.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('flowcard csrf v1').digest('base64url');
}

/** Constant-time check of a presented CSRF token against the session's. */
export function csrfTokenMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
