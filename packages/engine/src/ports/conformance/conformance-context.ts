import { randomBytes } from 'node:crypto';
import type { FlowcardStore } from '../flowcard-store';
import type { SealedSecrets } from '../sealed-secrets';

/** What each contract gets: the store under test (available once beforeAll has run). */
export type StoreGetter = () => FlowcardStore;

/** A unique suffix so every test works in its own workspace/users and never sees another's data. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/**
 * A well-formed sealed blob. Stores treat blobs as opaque, so contracts do not need real
 * encryption; the store's own tests prove real sealed secrets never leave plaintext behind.
 */
export function fakeSealed(keyId: string): SealedSecrets {
  const b64 = (n: number): string => randomBytes(n).toString('base64');
  return { keyId, wrappedKey: b64(60), iv: b64(12), tag: b64(16), ciphertext: b64(40) };
}

/** Awaits a promise expected to reject with a FlowcardError of `code` (recognised by code, docs/conventions.md #5). */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'FlowcardError', code });
}
