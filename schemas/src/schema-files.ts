import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The schema files of this package, by short name; each generates src/generated/<name>.ts. */
export const schemaNames = ['connector', 'card', 'flow'] as const;
export type SchemaName = (typeof schemaNames)[number];

export const schemaDirectory = join(__dirname, '..');

export function schemaPath(name: SchemaName): string {
  return join(schemaDirectory, `${name}.schema.json`);
}

/** Reads a schema file as a plain object (a fresh copy each call). */
export function readSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8')) as Record<string, unknown>;
}
