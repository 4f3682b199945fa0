import { createAjv, type ConfigurationValues } from '@flowcard/engine';
import type { ValidateFunction } from 'ajv';
import { apiError } from '../http/errors/api-error';
import type { ConfigurationKind } from './configuration-kind';

/** Entered fields split the way they are stored: plain values, and secrets to seal. */
export interface SplitValues {
  readonly values: ConfigurationValues;
  readonly secrets: Readonly<Record<string, string>>;
}

const ajv = createAjv();
const validators = new WeakMap<object, ValidateFunction>();

/**
 * Validates a complete set of fields (plain and secret together) against the kind's JSON Schema,
 * with the schema's defaults filled in for missing plain fields, and splits it. Errors name the
 * field and never echo a value: the value might be a token pasted into the wrong field.
 */
export function validateConfigurationValues(
  kind: ConfigurationKind,
  entered: Readonly<Record<string, unknown>>,
): SplitValues {
  const properties = kind.spec.schema.properties as Record<
    string,
    { default?: unknown; 'x-secret'?: boolean }
  >;
  const unknown = Object.keys(entered).filter((field) => !(field in properties));
  if (unknown.length > 0) {
    throw apiError('FLOWCARD_ERR_CONFIGURATION_INVALID', {
      summary: `${unknown.map((field) => `"${field}"`).join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of ${kind.connector.manifest.title} (${kind.key}); fields are ${Object.keys(properties).join(', ')}`,
    });
  }
  const complete: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(properties)) {
    const value = entered[field];
    if (value !== undefined && value !== null) complete[field] = value;
    else if (!schema['x-secret'] && schema.default !== undefined) complete[field] = schema.default;
  }
  const validate = validatorFor(kind);
  if (!validate(complete)) {
    const problems = (validate.errors ?? []).map((error) => {
      if (error.keyword === 'required') return `"${String(error.params.missingProperty)}" is required`;
      const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return `"${field || '(values)'}" ${error.message ?? 'is invalid'}`;
    });
    throw apiError(
      'FLOWCARD_ERR_CONFIGURATION_INVALID',
      { summary: problems.join('; ') },
      problems.map((message) => ({ where: 'body', path: '/values', message })),
    );
  }
  const values: Record<string, string | number | boolean | null> = {};
  const secrets: Record<string, string> = {};
  for (const [field, value] of Object.entries(complete)) {
    if (kind.secretFields.includes(field)) {
      if (typeof value !== 'string')
        throw apiError('FLOWCARD_ERR_CONFIGURATION_INVALID', { summary: `"${field}" must be a string` });
      secrets[field] = value;
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      values[field] = value as string | number | boolean | null;
    } else {
      throw apiError('FLOWCARD_ERR_CONFIGURATION_INVALID', {
        summary: `"${field}" must be a string, number or boolean`,
      });
    }
  }
  return { values, secrets };
}

function validatorFor(kind: ConfigurationKind): ValidateFunction {
  let validate = validators.get(kind.spec);
  if (!validate) {
    validate = ajv.compile(kind.spec.schema);
    validators.set(kind.spec, validate);
  }
  return validate;
}
