/** Ids of the input form's fields: `in.message`, `in.recipientIds.0`. */
export const FORM_ID_PREFIX = 'in';
export const FORM_ID_SEPARATOR = '.';

import type { CardView, JsonSchema } from '../flow-types';

export interface DataField {
  /** The template to insert, e.g. `{{trigger.output.fields.email}}`. */
  readonly template: string;
  readonly label: string;
  readonly type?: string;
}

/**
 * The fields a later step can read from a card's output: the output schema's properties (three
 * levels deep) and, where the schema leaves keys open (lead answers by question), the keys of the
 * card's examples.
 */
export function outputFields(card: CardView | undefined, root: string): DataField[] {
  if (!card) return [];
  const fields = new Map<string, DataField>();
  const walk = (schema: JsonSchema | undefined, example: unknown, path: string[], depth: number): void => {
    if (depth > 3) return;
    const properties = schema?.properties ?? {};
    const keys = new Set<string>(Object.keys(properties));
    if (example && typeof example === 'object' && !Array.isArray(example))
      for (const key of Object.keys(example)) keys.add(key);
    for (const key of keys) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
      const child = properties[key] ?? (schema?.additionalProperties as JsonSchema | undefined);
      const value = (example as Record<string, unknown> | undefined)?.[key];
      const next = [...path, key];
      const type = Array.isArray(child?.type) ? child?.type[0] : child?.type;
      fields.set(next.join('.'), {
        template: `{{${root}.${next.join('.')}}}`,
        label: next.join('.'),
        type: type ?? (value === undefined ? undefined : typeof value),
      });
      if (type === 'object' || (value && typeof value === 'object' && !Array.isArray(value)))
        walk(child, value, next, depth + 1);
    }
  };
  walk(card.output, card.examples?.[0]?.output, [], 0);
  return [...fields.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** The uiSchema for a card's input: long text, secrets, dates and dynamic dropdowns. */
export function uiSchemaFor(schema: JsonSchema): Record<string, unknown> {
  const ui: Record<string, unknown> = { 'ui:submitButtonOptions': { norender: true } };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property['x-options']) ui[key] = { 'ui:widget': 'dynamicOptions' };
    else if (property['x-secret'] || property.format === 'password') ui[key] = { 'ui:widget': 'secret' };
    else if (property['x-multiline']) ui[key] = { 'ui:widget': 'templateTextarea' };
    else if (property.format === 'date') ui[key] = { 'ui:widget': 'dateOrTemplate' };
    else if (property.format === 'date-time') ui[key] = { 'ui:widget': 'dateOrTemplate' };
    else if (property.type === 'string' && !property.enum) ui[key] = { 'ui:widget': 'templateText' };
  }
  return ui;
}

/** Reads `value` at a key path; writes return a new object. */
export function setAt(
  value: Record<string, unknown>,
  path: readonly string[],
  next: unknown,
): Record<string, unknown> {
  if (path.length === 0) return next as Record<string, unknown>;
  const [head, ...rest] = path;
  const current = value[head!];
  const child =
    rest.length === 0
      ? next
      : setAt((current && typeof current === 'object' ? current : {}) as Record<string, unknown>, rest, next);
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(head)] = child;
    return copy as unknown as Record<string, unknown>;
  }
  return { ...value, [head!]: child };
}

export function getAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}
