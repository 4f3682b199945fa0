// Envelope encryption, key providers, key rotation and token hashing.
export { generateApiKey, apiKeyId, type GeneratedApiKey } from './api-key';
export { EnvKeyProvider, parseMasterKeys } from './env-key-provider';
export {
  KeyRotationService,
  type KeyRotationFailure,
  type KeyRotationOptions,
  type KeyRotationSummary,
} from './key-rotation-service';
export { secretCodes } from './secret-error-codes';
export { SecretSealer } from './secret-sealer';
export { hashToken } from './token-hash';
