import type { GraphCall } from './graph-call';
import { stringParam } from './graph-call';
import { graphErrors } from '../graph-errors';

/** A node serialised with every field it has; `undefined` values are known fields without a value. */
export type FullRecord = Record<string, unknown>;

/**
 * Top-level names from a `fields` parameter. Nested selections and modifiers
 * (`comments.limit(5){message}`, `picture.type(large)`) are accepted and reduced to their base
 * name: the emulator returns those edges in their default shape.
 */
export function parseFields(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '{' || ch === '(') depth++;
    else if (ch === '}' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      names.push(current);
      current = '';
      continue;
    }
    if (depth === 0 && ch !== '}' && ch !== ')') current += ch;
  }
  names.push(current);
  return names.map((n) => n.split('.')[0].trim()).filter((n) => n.length > 0);
}

/**
 * Selects the requested fields (or the defaults) from a full record, as Graph does: `id` is always
 * returned, an unknown field is error 100, a known field without a value is left out.
 */
export function selectFields(
  call: GraphCall,
  full: FullRecord,
  defaults: readonly string[],
  nodeType: string,
): FullRecord {
  const requested = parseFields(stringParam(call, 'fields')) ?? defaults;
  return pick(full, requested, nodeType);
}

export function pick(full: FullRecord, names: readonly string[], nodeType: string): FullRecord {
  const out: FullRecord = {};
  if (full.id !== undefined) out.id = full.id;
  for (const name of names) {
    if (!(name in full)) throw graphErrors.nonexistingField(name, nodeType);
    const value = full[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
