import { createHmac } from 'node:crypto';
import { signMetaBody, verifyMetaSignature } from './meta-signature';

describe('verifyMetaSignature', () => {
  const secret = 'app-secret-123';
  const body = Buffer.from('{"object":"page","entry":[]}');
  const valid = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts the HMAC-SHA256 of the raw body keyed by the app secret', () => {
    expect(verifyMetaSignature(body, valid, secret)).toEqual({ ok: true });
    expect(signMetaBody(body, secret)).toBe(valid);
  });

  it('accepts an upper-case hex digest', () => {
    expect(verifyMetaSignature(body, `sha256=${valid.slice(7).toUpperCase()}`, secret)).toEqual({ ok: true });
  });

  it('rejects an unsigned body', () => {
    expect(verifyMetaSignature(body, undefined, secret)).toEqual({
      ok: false,
      reason: 'missing X-Hub-Signature-256 header',
    });
  });

  it('rejects a body that was changed after signing', () => {
    expect(verifyMetaSignature(Buffer.from('{"object":"page","entry":[1]}'), valid, secret)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMetaSignature(body, signMetaBody(body, 'other'), secret).ok).toBe(false);
  });

  it('rejects truncated or non-hex signatures without throwing', () => {
    expect(verifyMetaSignature(body, valid.slice(0, 20), secret).ok).toBe(false);
    expect(verifyMetaSignature(body, 'sha1=abc', secret).ok).toBe(false);
    expect(verifyMetaSignature(body, `sha256=${'z'.repeat(64)}`, secret).ok).toBe(false);
  });

  it('never puts the body or the secret into the reason', () => {
    const result = verifyMetaSignature(body, signMetaBody(body, 'wrong'), secret);
    expect(JSON.stringify(result)).not.toContain('entry');
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
