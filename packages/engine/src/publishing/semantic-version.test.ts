import { compareSemanticVersions, parseSemanticVersion } from './semantic-version';

describe('compareSemanticVersions', () => {
  it.each([
    ['1.0.0', '1.0.1', -1],
    ['1.2.0', '1.10.0', -1],
    ['2.0.0', '1.99.99', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.2', '1.0.0-rc.10', -1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['1.0.0', '1.0.0', 0],
  ])('orders %s against %s as %d', (a, b, sign) => {
    expect(Math.sign(compareSemanticVersions(a, b))).toBe(sign);
  });

  it('refuses a text that is not a version', () => {
    expect(() => compareSemanticVersions('1.0', '1.0.0')).toThrow('not a semantic version: 1.0');
  });

  it('reads the major of a prerelease', () => {
    expect(parseSemanticVersion('3.1.4-beta.2')).toEqual({
      major: 3,
      minor: 1,
      patch: 4,
      prerelease: 'beta.2',
    });
  });
});
