/**
 * Free-form values (flow specs, trigger outputs, step inputs and outputs) are stored as JSON text:
 * their keys come from connectors and users and may start with `$` or contain dots, which MongoDB
 * refuses or misreads as field names. `undefined` is stored as a null field (not the text
 * "null"), so it reads back as `undefined` rather than turning into `null`.
 */
export function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function fromJsonText(text: string | null | undefined): unknown {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as unknown);
}
