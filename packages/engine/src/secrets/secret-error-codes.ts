import { defineErrorCodes } from '../errors/error-code';

/**
 * Codes of the secrets layer. Messages name key ids and env variables, never key material or
 * plaintext.
 */
export const secretCodes = defineErrorCodes({
  FLOWCARD_ERR_SECRETS_UNKNOWN_KEY: {
    message:
      'Encryption key "{keyId}" is not configured: add it to FLOWCARD_MASTER_KEYS (a key must stay configured until `flowcard keys rotate` has re-wrapped everything sealed with it)',
    status: 500,
    category: 'server',
  },
  FLOWCARD_ERR_SECRETS_KEYS_INVALID: {
    message: 'FLOWCARD_MASTER_KEYS / FLOWCARD_MASTER_KEY_ID are invalid: {reason}',
    status: 500,
    category: 'server',
  },
  FLOWCARD_ERR_SECRETS_OPEN_FAILED: {
    message:
      'Sealed secrets could not be opened with key "{keyId}": the record was altered or the key is not the one it was sealed with',
    status: 500,
    category: 'server',
  },
});
