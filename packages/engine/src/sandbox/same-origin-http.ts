import type { CardHttpClient } from '@flowcard/sdk';
import { cardErrorFor } from '../errors/classify-http-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';

/**
 * The HTTP client a sandboxed handler gets: the host's client, except that an absolute `url` on
 * another origin than the configuration's base URL is refused unless it asks for `auth: 'none'`.
 * Credentials are applied by the host, so without this a handler could make the host send the
 * configuration's token to any server (a Graph paging link stays on the base URL's origin).
 */
export function sameOriginHttp(client: CardHttpClient, baseUrl: string, card: string): CardHttpClient {
  const origin = originOf(baseUrl);
  return {
    request: (request) => {
      if (request.url !== undefined && request.auth !== 'none' && originOf(request.url) !== origin) {
        return Promise.reject(
          cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_DENIED, {
            card,
            message: `ctx.http sends credentials only to ${origin}; call other hosts with auth: 'none'`,
          }),
        );
      }
      return client.request(request);
    },
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
