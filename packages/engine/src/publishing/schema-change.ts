/**
 * One difference between the published version of a connector and a candidate, located like a
 * loader problem: the file of the candidate package, a JSON pointer into it, and what changed.
 * Printed as `<file>: <path>: <message>` by formatSchemaChange.
 */
export interface SchemaChange {
  /** Card key, when the change concerns a card (absent for connector.json changes). */
  readonly card?: string;
  /** `cards/<key>.json` or `connector.json`. */
  readonly file: string;
  /** JSON pointer into that file (RFC 6901); empty for the whole file. */
  readonly path: string;
  /** What changed, in words a connector author acts on. */
  readonly message: string;
}

/** The verdict of comparing two versions of one connector. */
export interface CompatibilityReport {
  /** Changes that can break an existing flow or saved configuration: they need a new major. */
  readonly breaking: readonly SchemaChange[];
  /** Changes existing flows do not notice: fine in a minor or patch release. */
  readonly additive: readonly SchemaChange[];
}

export function formatSchemaChange(change: SchemaChange): string {
  return change.path === ''
    ? `${change.file}: ${change.message}`
    : `${change.file}: ${change.path}: ${change.message}`;
}
