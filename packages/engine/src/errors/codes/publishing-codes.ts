import { defineErrorCodes } from '../error-code';

/**
 * Codes of connector publishing: packing a connector into a bundle, checking the bundle a client
 * uploads, and refusing breaking changes.
 * (Publishing the same name+version with other content is the store's
 * FLOWCARD_ERR_REGISTRY_VERSION_EXISTS.)
 */
export const publishingCodes = defineErrorCodes({
  FLOWCARD_ERR_BUNDLE_INVALID: {
    message: 'the connector bundle is not valid: {reason}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_BUNDLE_HASH_MISMATCH: {
    message:
      'the connector bundle says its content hash is {declared}, but its content hashes to {actual}; pack it again',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_BUNDLE_CONNECTOR_INVALID: {
    message: 'connector {name}@{version} does not load:\n{problems}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_PUBLISH_BREAKING_CHANGE: {
    message: 'breaking change: bump the major version\n{changes}',
    status: 422,
    category: 'client',
  },
  FLOWCARD_ERR_PUBLISH_VERSION_NOT_NEWER: {
    message:
      '{name}@{version} is not newer than {name}@{latest}, the latest published version of major {major}; publish a higher version',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND: {
    message:
      '{name}@{version} is not published; a lifecycle can only be set on a published version (publish it first, or change the lifecycle in its connector.json)',
    status: 404,
    category: 'client',
  },
  FLOWCARD_ERR_CONNECTOR_SUNSET: {
    message: '{connector} is sunset: {message}',
    status: 410,
    category: 'invalid',
  },
  FLOWCARD_ERR_PUBLISH_NAME_TAKEN: {
    message: 'connector name "{name}" {reason}; choose another name',
    status: 409,
    category: 'client',
  },
});
