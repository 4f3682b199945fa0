import type { ValidateFunction } from 'ajv';
import { cardSchema, connectorSchema } from '@flowcard/schemas';
import { createAjv } from '../validation/create-ajv';

export interface PackageSchemaValidators {
  readonly connector: ValidateFunction;
  readonly card: ValidateFunction;
}

let cached: PackageSchemaValidators | undefined;

/**
 * The validators of connector.json and cards/*.json, compiled on first use and then shared by every
 * load in the process (compiling the card schema costs far more than validating a card).
 */
export function packageSchemaValidators(): PackageSchemaValidators {
  if (!cached) {
    const ajv = createAjv();
    // verbose: errors then carry their schema, parent schema and data, which describeSchemaViolations
    // needs to pick the intended oneOf branch and to quote descriptions in hints. Only these two
    // validators use it (card input/output validators stay lean).
    ajv.opts.verbose = true;
    cached = { connector: ajv.compile(connectorSchema), card: ajv.compile(cardSchema) };
  }
  return cached;
}
