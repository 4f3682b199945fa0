import type { Principal } from './principal';

/**
 * Turns a presented session cookie into a principal and the session's CSRF token. The runtime's
 * implementation is the people area's SessionService (hash lookup, idle and absolute expiry).
 */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<{ principal: Principal; csrfToken: string } | undefined>;
}
