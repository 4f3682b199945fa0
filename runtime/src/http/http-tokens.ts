import { token } from '../container/token';
import type { ApiKeyAuthenticator } from './auth/api-key-authenticator';

/** Bindings the HTTP layer consumes. */
export const HttpTokens = {
  apiKeyAuthenticator: token<ApiKeyAuthenticator>('http.apiKeyAuthenticator'),
} as const;
