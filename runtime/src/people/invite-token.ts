import { randomBytes } from 'node:crypto';

const INVITE_TOKEN = /^fci_[A-Za-z0-9_-]{43}$/;

/** A new invite token: `fci_` + 256 random bits (base64url). Only its SHA-256 is stored. */
export function generateInviteToken(): string {
  return `fci_${randomBytes(32).toString('base64url')}`;
}

export function isInviteToken(value: string): boolean {
  return INVITE_TOKEN.test(value);
}
