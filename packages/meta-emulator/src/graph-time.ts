/** Graph's timestamp format: `2026-01-02T18:31:28+0000` (UTC, seconds, no millis, no colon in the offset). */
export function formatGraphTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

/** Unix seconds, the unit Graph uses in webhook payloads, filters and debug_token. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
