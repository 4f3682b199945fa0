import { randomBytes } from 'node:crypto';
import { EnvKeyProvider } from './env-key-provider';
import { SecretSealer } from './secret-sealer';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const provider = (current: string): EnvKeyProvider =>
  new EnvKeyProvider(
    new Map([
      ['k1', k1],
      ['k2', k2],
    ]),
    current,
  );
const TOKEN = 'EAAB-plaintext-page-token-4242';

describe('SecretSealer', () => {
  it('opens what it sealed, under the current key id', () => {
    const sealer = new SecretSealer(provider('k1'));
    const sealed = sealer.seal({ accessToken: TOKEN, appSecret: 's3cr3t' });
    expect(sealed.keyId).toBe('k1');
    expect(sealer.open(sealed)).toEqual({ accessToken: TOKEN, appSecret: 's3cr3t' });
  });

  it('leaves no plaintext in the sealed blob and uses a fresh data key each time', () => {
    const sealer = new SecretSealer(provider('k1'));
    const a = sealer.seal({ accessToken: TOKEN });
    const b = sealer.seal({ accessToken: TOKEN });
    const text = JSON.stringify(a);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('re-wraps the data key under another key without touching the ciphertext', () => {
    const sealed = new SecretSealer(provider('k1')).seal({ accessToken: TOKEN });
    const sealer = new SecretSealer(provider('k2'));
    const rewrapped = sealer.rewrap(sealed);
    expect(rewrapped).toMatchObject({
      keyId: 'k2',
      iv: sealed.iv,
      tag: sealed.tag,
      ciphertext: sealed.ciphertext,
    });
    expect(rewrapped.wrappedKey).not.toBe(sealed.wrappedKey);
    expect(sealer.open(rewrapped)).toEqual({ accessToken: TOKEN });
    expect(sealer.open(sealed)).toEqual({ accessToken: TOKEN });
  });

  it('names the key id when a blob was sealed under a key that is not configured', () => {
    const sealed = new SecretSealer(provider('k1')).seal({ accessToken: TOKEN });
    const onlyK2 = new SecretSealer(new EnvKeyProvider(new Map([['k2', k2]]), 'k2'));
    expect(() => onlyK2.open(sealed)).toThrow(
      expect.objectContaining({
        code: 'FLOWCARD_ERR_SECRETS_UNKNOWN_KEY',
        message: expect.stringContaining('"k1"'),
      }),
    );
    expect(() => onlyK2.rewrap(sealed, 'k9')).toThrow(
      expect.objectContaining({ code: 'FLOWCARD_ERR_SECRETS_UNKNOWN_KEY' }),
    );
  });

  it('refuses a tampered ciphertext, a relabelled key id or a swapped wrapped key, without leaking anything', () => {
    const sealer = new SecretSealer(provider('k1'));
    const sealed = sealer.seal({ accessToken: TOKEN });
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    const attempts = [
      { ...sealed, ciphertext: flipped.toString('base64') },
      { ...sealed, keyId: 'k2' },
      { ...sealed, wrappedKey: sealer.seal({ other: 'x' }).wrappedKey },
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        sealer.open(attempt);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'FLOWCARD_ERR_SECRETS_OPEN_FAILED' });
      const rendered = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
      expect(rendered).not.toContain(TOKEN);
      expect(rendered).not.toContain(k1.toString('base64'));
      expect(rendered).not.toContain(k2.toString('base64'));
    }
  });
});
