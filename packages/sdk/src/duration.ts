const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const SHORT = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * A duration in milliseconds from `30s`, `15m`, `1h30m`, `2d`, `500ms`, or ISO 8601 (`PT1H30M`,
 * `P1D`); undefined when the text is none of these. Used by core/delay (card and engine alike).
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const iso = ISO.exec(value.toUpperCase());
  if (iso && value.length > 1 && !/T$/i.test(value)) {
    const [, w, d, h, m, s] = iso.map((part) => Number(part ?? 0));
    return w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + Math.round(s * 1000);
  }
  let rest = value.replace(/\s+/g, '');
  let total = 0;
  while (rest !== '') {
    const part = SHORT.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * UNIT_MS[part[2]];
    rest = rest.slice(part[0].length);
  }
  return Math.round(total);
}
