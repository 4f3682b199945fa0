/** A parsed `major.minor.patch[-prerelease]` version, as connector.json's `version` allows. */
export interface SemanticVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease?: string;
}

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$/;

/** Parses a version, or returns undefined when it is not one (the manifest schema already refuses those). */
export function parseSemanticVersion(version: string): SemanticVersion | undefined {
  const match = VERSION.exec(version);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    ...(match[4] === undefined ? {} : { prerelease: match[4] }),
  };
}

/**
 * Orders two versions: negative when a < b. A prerelease sorts before its release (1.0.0-rc.1 <
 * 1.0.0); prerelease identifiers compare numerically when both are numbers, as semver says.
 */
export function compareSemanticVersions(a: string, b: string): number {
  const left = parseSemanticVersion(a);
  const right = parseSemanticVersion(b);
  if (!left || !right) throw new Error(`not a semantic version: ${left ? b : a}`);
  const core = left.major - right.major || left.minor - right.minor || left.patch - right.patch;
  if (core !== 0) return core;
  if (left.prerelease === right.prerelease) return 0;
  if (left.prerelease === undefined) return 1;
  if (right.prerelease === undefined) return -1;
  return comparePrerelease(left.prerelease.split('.'), right.prerelease.split('.'));
}

function comparePrerelease(left: string[], right: string[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const a = left[i];
    const b = right[i];
    if (a === undefined) return -1;
    if (b === undefined) return 1;
    if (a === b) continue;
    const numeric = /^\d+$/.test(a) && /^\d+$/.test(b);
    if (numeric) return Number(a) - Number(b);
    if (/^\d+$/.test(a)) return -1;
    if (/^\d+$/.test(b)) return 1;
    return a < b ? -1 : 1;
  }
  return 0;
}
