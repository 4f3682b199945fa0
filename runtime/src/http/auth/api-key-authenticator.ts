import type { Principal } from './principal';

/**
 * Turns a presented API key into a principal. The runtime's implementation hashes the key and looks
 * the hash up in the store; keys themselves are never stored or logged.
 */
export interface ApiKeyAuthenticator {
  authenticate(apiKey: string): Promise<Principal | undefined>;
}
