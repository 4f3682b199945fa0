export type * from './generated/connector';
export type * from './generated/card';
export type * from './generated/flow';
export { schemaNames, schemaPath, readSchema, schemaDirectory, type SchemaName } from './schema-files';

import connectorSchema from '../connector.schema.json';
import cardSchema from '../card.schema.json';
import flowSchema from '../flow.schema.json';

export { connectorSchema, cardSchema, flowSchema };

/**
 * Vendor keywords Flowcard adds to JSON Schema. Validators must declare them (ajv strict mode
 * refuses unknown keywords otherwise).
 */
export const flowcardKeywords = [
  'x-secret',
  'x-options',
  'x-anti-examples',
  'x-order',
  'x-multiline',
  // json-schema-to-typescript's type override, where if/then/else stands for a union.
  'tsType',
] as const;

/**
 * The ajv options every Flowcard validator uses: strict (typos in schemas are errors) but allowing
 * `required` inside if/then branches, which the manifest schemas use for conditional fields.
 */
export const ajvOptions = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
} as const;

/** An anti-example in a schema file: a value that must fail, and the error it must fail with. */
export interface AntiExample {
  reason: string;
  error: string;
  value: unknown;
}
