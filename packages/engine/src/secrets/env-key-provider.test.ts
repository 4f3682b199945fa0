import { randomBytes } from 'node:crypto';
import { EnvKeyProvider } from './env-key-provider';

const b64 = (): string => randomBytes(32).toString('base64');

describe('EnvKeyProvider', () => {
  it('reads every listed key and the current key id from the environment', () => {
    const provider = EnvKeyProvider.fromEnv({
      FLOWCARD_MASTER_KEYS: `k1:${b64()}, k2:${b64()}`,
      FLOWCARD_MASTER_KEY_ID: 'k2',
    });
    expect(provider.currentKeyId()).toBe('k2');
    expect(provider.keyIds()).toEqual(['k1', 'k2']);
    expect(provider.getKey('k1')).toHaveLength(32);
    expect(provider.hasKey('k3')).toBe(false);
  });

  it('takes the only key as current when no key id is given', () => {
    expect(EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: `only:${b64()}` }).currentKeyId()).toBe('only');
  });

  it('names the unknown key id and where to configure it', () => {
    const provider = EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: `k1:${b64()}` });
    expect(() => provider.getKey('k0')).toThrow(
      'Encryption key "k0" is not configured: add it to FLOWCARD_MASTER_KEYS',
    );
  });

  it.each([
    [{}, 'FLOWCARD_MASTER_KEYS is not set'],
    [{ FLOWCARD_MASTER_KEYS: 'k1' }, 'entry 1 must look like "<keyId>:<base64 of 32 bytes>"'],
    [
      { FLOWCARD_MASTER_KEYS: `k1:${randomBytes(16).toString('base64')}` },
      'key "k1" must be 32 bytes, got 16',
    ],
    [{ FLOWCARD_MASTER_KEYS: `k1:${b64()},k2:${b64()}` }, 'FLOWCARD_MASTER_KEY_ID must name the current key'],
    [
      { FLOWCARD_MASTER_KEYS: `k1:${b64()}`, FLOWCARD_MASTER_KEY_ID: 'k2' },
      'the current key id "k2" is not among the configured keys (k1)',
    ],
    [{ FLOWCARD_MASTER_KEYS: `k1:${b64()},k1:${b64()}` }, 'key id "k1" is listed twice'],
  ])('refuses the configuration %j with a clear reason', (env, reason) => {
    expect(() => EnvKeyProvider.fromEnv(env)).toThrow(reason);
  });

  it('never repeats key material in its errors', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: `k1:${short}` })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) }),
    );
  });
});
