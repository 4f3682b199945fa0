import { compile } from 'json-schema-to-typescript';
import { readSchema, type SchemaName } from './schema-files';

export const GENERATED_BANNER =
  '/* generated — do not edit. Source: schemas/%s.schema.json; run `npm run generate`. */';

/** Strips annotations that only serve docs and tests, so they do not bloat the types. */
function withoutExamples(value: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutExamples(item));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // Inside `properties`, "examples" is a field name (a card's examples), not an annotation.
    if (!isPropertyMap && (key === 'examples' || key === 'x-anti-examples')) continue;
    out[key] = withoutExamples(child, key === 'properties' && !isPropertyMap);
  }
  return out;
}

/** Generates the TypeScript source for one schema; deterministic, so the drift test can diff it. */
export async function generateTypes(name: SchemaName): Promise<string> {
  const schema = withoutExamples(readSchema(name)) as Parameters<typeof compile>[0];
  return compile(schema, String(schema.title), {
    bannerComment: GENERATED_BANNER.replace('%s', name),
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    format: true,
    style: { singleQuote: true, printWidth: 110, trailingComma: 'all' },
    $refOptions: { resolve: { http: false, external: false } },
  });
}
