import { apiKeyId, generateApiKey } from './api-key';
import { hashToken } from './token-hash';

describe('generateApiKey', () => {
  it('makes a key whose prefix id and hash identify it without storing it', () => {
    const generated = generateApiKey();
    expect(apiKeyId(generated.key)).toBe(generated.id);
    expect(generated.hash).toBe(hashToken(generated.key));
    expect(generated.hash).not.toContain(generated.key);
    expect(generateApiKey().key).not.toBe(generated.key);
  });

  it('rejects strings that are not Flowcard API keys', () => {
    expect(apiKeyId('Bearer nonsense')).toBeNull();
  });
});
