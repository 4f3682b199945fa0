import { defineErrorCodes } from '../errors/error-code';

/**
 * Codes every store implementation throws (as FlowcardError), so callers and the conformance suite
 * recognise them by `code` whatever the backend.
 */
export const storeCodes = defineErrorCodes({
  FLOWCARD_ERR_STORE_NOT_FOUND: { message: '{entity} {id} was not found', status: 404, category: 'client' },
  FLOWCARD_ERR_STORE_VERSION_CONFLICT: {
    message:
      '{entity} {id} was changed by someone else (expected version {expected}); reload it and try again',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_CONFIGURATION_NICKNAME_TAKEN: {
    message:
      'You already have a {connector} configuration named "{nickname}" in this workspace; choose another nickname',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_USER_EMAIL_TAKEN: {
    message: 'A user with email {email} already exists',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_REGISTRY_VERSION_EXISTS: {
    message: '{name}@{version} is already published; bump the version to publish a change',
    status: 409,
    category: 'client',
  },
  FLOWCARD_ERR_STORE_DUPLICATE: {
    message: '{entity} already exists ({detail})',
    status: 409,
    category: 'client',
  },
});
