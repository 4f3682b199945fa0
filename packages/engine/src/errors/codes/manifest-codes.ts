import { defineErrorCodes } from '../error-code';

/**
 * Problems found while loading a connector package (connector.json, cards/*.json, handlers) and
 * looking cards up in the registry. Loading problems are reported as ManifestProblem lines (file,
 * JSON pointer, message, hint); the message templates here are the "message" part of that line.
 * Status 422: the package is well-formed HTTP input that cannot be accepted (e.g. on publish).
 */
export const manifestCodes = defineErrorCodes({
  FLOWCARD_ERR_CONNECTOR_NOT_FOUND: {
    message: 'no connector manifest: {file} does not exist',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONNECTOR_PACKAGE_INVALID: {
    message: 'package {package} is not a Flowcard connector: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONNECTOR_DUPLICATE: {
    message: 'connector {name}@{major} is already loaded from {other}',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_CONNECTOR_JSON_SYNTAX: {
    message: 'invalid JSON at line {line}, column {column}: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CONNECTOR_NO_CARDS: {
    message: 'the connector has no cards',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_MANIFEST_INVALID: {
    message: 'does not match the connector schema: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_MANIFEST_AUTH_FIELD: {
    message: 'auth {property} "{field}" {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_MANIFEST_TEST_CARD: {
    message: 'test card "{card}" {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_MANIFEST_TEMPLATE: {
    message: 'template {template} {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_MANIFEST_SCHEMA_UNCOMPILABLE: {
    message: 'configuration schema cannot be compiled: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_INVALID: {
    message: 'does not match the card schema: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_KEY_MISMATCH: {
    message: 'card key "{key}" differs from the file name "{fileName}"',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_DUPLICATE_KEY: {
    message: 'card key "{key}" is also used by {other}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_CONFIGURATION_UNKNOWN: {
    message: 'configuration kind "{configuration}" is not declared in connector.json',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_CONFIGURATION_MISSING: {
    message: 'the card does not say which configuration kind it uses, and connector.json declares {count}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_SCHEMA_UNCOMPILABLE: {
    message: '{which} schema cannot be compiled: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_INPUT_REFERENCE: {
    message: 'template {template} names input "{name}", which the input schema does not declare',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_CONFIG_REFERENCE: {
    message:
      'template {template} names configuration field "{name}", which configuration kind "{configuration}" does not declare',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_CONFIG_SECRET: {
    message: 'template {template} reads secret configuration field "{name}"',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_TEMPLATE_SCOPE: {
    message: 'template {template} uses "{root}", which is not available here (only {allowed})',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_OPTIONS_REFERENCE: {
    message: 'x-options names card "{card}", {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_OPTIONS_OUTPUT: {
    message: 'an options card must output an array, but the output schema has type {type}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_EXAMPLE_INVALID: {
    message: 'example {which} does not match the {which} schema: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_HANDLER_MISSING: {
    message: 'handler file {handler} does not exist',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_REF_INVALID: {
    message: 'card reference "{ref}" is not of the form <connector>/<card> or <connector>/<card>@<major>',
    status: 400,
    category: 'client',
  },
  FLOWCARD_ERR_CARD_NOT_FOUND: {
    message: 'card "{ref}" is not loaded{reason}',
    status: 404,
    category: 'client',
  },
});
