/**
 * Dot paths as cards write them: `data`, `data.0.id`, `paging.next`, also `items[0].id`.
 * Parsed once into segments so the hot path only walks.
 */
export type PathSegments = readonly string[];

export function parsePath(path: string): PathSegments {
  const trimmed = path.trim();
  if (trimmed === '') return [];
  return trimmed
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '');
}

/** Reads a value at parsed segments; anything missing on the way yields undefined. */
export function getAtPath(value: unknown, segments: PathSegments): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Returns a copy of `root` with `value` placed at `segments`, copying only the objects on the way
 * (the rest is shared): used to put collected page items back where one page had them.
 */
export function setAtPath(root: unknown, segments: PathSegments, value: unknown): unknown {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments;
  const base: Record<string, unknown> =
    root !== null && typeof root === 'object' ? { ...(root as Record<string, unknown>) } : {};
  if (Array.isArray(root)) {
    const copy = [...root] as unknown[];
    copy[Number(head)] = setAtPath(copy[Number(head)], rest, value);
    return copy;
  }
  base[head] = setAtPath(base[head], rest, value);
  return base;
}
