/** Dates as people read them: "2 Dec 2026, 14:05"; null as an em dash. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Whole days from now until `value` (negative when past). */
export function daysUntil(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return undefined;
  return Math.ceil((time - now) / 86_400_000);
}
