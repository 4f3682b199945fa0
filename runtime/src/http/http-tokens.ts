import { token } from '../container/token';
import type { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import type { SessionAuthenticator } from './auth/session-authenticator';

/** Bindings the HTTP layer consumes. */
export const HttpTokens = {
  apiKeyAuthenticator: token<ApiKeyAuthenticator>('http.apiKeyAuthenticator'),
  /** Studio session cookies (bound by the people area). */
  sessionAuthenticator: token<SessionAuthenticator>('http.sessionAuthenticator'),
} as const;
