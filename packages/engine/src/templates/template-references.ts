// Same grammar as compile-template.ts: `{{ path }}`, spaces allowed, no nested braces. Kept as a
// separate scanner so the loader can check references without compiling anything.
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Every template path used anywhere in a value (strings, array items, object values — not object
 * keys, which are literal except where a card section says otherwise), in order of appearance,
 * trimmed: `"/{{ input.pageId }}/feed"` → `["input.pageId"]`.
 */
export function findTemplateReferences(value: unknown): string[] {
  const found: string[] = [];
  collect(value, found);
  return found;
}

function collect(value: unknown, found: string[]): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(TEMPLATE)) found.push(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collect(item, found);
  }
}
