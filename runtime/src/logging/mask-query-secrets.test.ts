import { maskQuerySecrets } from './create-logger';

describe('maskQuerySecrets', () => {
  it('masks the token of an invite link in the Studio page path and in the API paths', () => {
    expect(maskQuerySecrets('/invite/abc123')).toBe('/invite/[redacted]');
    expect(maskQuerySecrets('/v1/invites/abc123/accept')).toBe('/v1/invites/[redacted]/accept');
    expect(maskQuerySecrets('/v1/hooks/abc123?x=1')).toBe('/v1/hooks/[redacted]?x=1');
  });

  it('leaves other paths alone', () => {
    expect(maskQuerySecrets('/settings/invites')).toBe('/settings/invites');
    expect(maskQuerySecrets('/team/invite/abc')).toBe('/team/invite/abc');
  });
});
