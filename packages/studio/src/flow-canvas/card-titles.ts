import { parseCardRef } from './flow-types';

const humanize = (key: string): string => {
  const words = key.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A readable name for a card ref without asking the catalog: `facebook-leads/new-lead@1` → "New lead · facebook-leads". */
export function cardTitle(ref: string): string {
  const parts = parseCardRef(ref);
  if (!parts) return ref;
  return `${humanize(parts.card)} · ${parts.connector}`;
}
