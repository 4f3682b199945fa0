import { ContainerModule } from 'inversify';
import { StoreApiKeyAuthenticator } from '../http/auth/store-api-key-authenticator';
import { HttpTokens } from '../http/http-tokens';
import { PeopleTokens } from '../people/people-tokens';
import { Ports } from './port-tokens';

/**
 * Bindings of the HTTP layer that sit on the store. Loaded after the package modules; when no store
 * is bound (a package missing), authenticated routes answer FLOWCARD_ERR_SERVICE_UNAVAILABLE.
 */
export function httpBindingsModule(): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    if (!isBound(Ports.users) || !isBound(Ports.workspaces)) return;
    bind(HttpTokens.apiKeyAuthenticator).toDynamicValue(
      (context) =>
        new StoreApiKeyAuthenticator(
          context.get(Ports.users),
          context.get(Ports.workspaces),
          context.get(Ports.clock),
          context.get(PeopleTokens.lastSeen, { optional: true }),
        ),
    );
  });
}
