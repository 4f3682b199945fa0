/** Appends reference tokens to a JSON pointer, escaping `~` and `/` as RFC 6901 requires. */
export function jsonPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
