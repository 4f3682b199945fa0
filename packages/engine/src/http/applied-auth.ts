import { createHmac } from 'node:crypto';
import type { AuthSpec } from '@flowcard/schemas';
import type { CardError } from '@flowcard/sdk';
import { cardErrorFor } from '../errors/classify-http-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';
import type { ResolvedConfiguration } from '../executor/execute-card.types';

/** Credentials of one call, as headers and query parameters, plus the values to scrub from errors. */
export interface AppliedAuth {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

export const NO_AUTH: AppliedAuth = Object.freeze({ headers: {}, query: {}, secrets: [] });

/**
 * Turns a configuration kind's auth spec and a configuration into credentials. `token` replaces the
 * configuration's token (a page token). A missing credential is an `auth` error: the run parks
 * until someone fixes the configuration.
 */
export function applyAuth(
  auth: AuthSpec,
  configuration: ResolvedConfiguration,
  token?: string,
): AppliedAuth | CardError {
  switch (auth.kind) {
    case 'none':
      return NO_AUTH;
    case 'basic': {
      const username = stringField(configuration, auth.usernameField);
      const password = configuration.secrets[auth.passwordField];
      if (username === undefined)
        return cardErrorFor(codes.FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL, { field: auth.usernameField });
      if (password === undefined)
        return cardErrorFor(codes.FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL, { field: auth.passwordField });
      const encoded = Buffer.from(`${username}:${password}`).toString('base64');
      return { headers: { authorization: `Basic ${encoded}` }, query: {}, secrets: [password, encoded] };
    }
    case 'bearer':
    case 'oauth2': {
      const accessToken = token ?? configuration.secrets[auth.tokenField];
      if (accessToken === undefined || accessToken === '') {
        return cardErrorFor(codes.FLOWCARD_ERR_AUTH_MISSING_CREDENTIAL, { field: auth.tokenField });
      }
      const query: Record<string, string> = {};
      const headers: Record<string, string> = {};
      if (auth.placement === 'query') query.access_token = accessToken;
      else headers.authorization = `Bearer ${accessToken}`;
      const appSecret = auth.appsecretProof
        ? stringField(configuration, auth.appsecretProof.secretField)
        : undefined;
      if (appSecret) query.appsecret_proof = appsecretProof(appSecret, accessToken);
      return { headers, query, secrets: appSecret ? [accessToken, appSecret] : [accessToken] };
    }
  }
}

/** hex HMAC-SHA256(key = app secret, message = access token), as Graph expects it. */
export function appsecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

function stringField(configuration: ResolvedConfiguration, field: string): string | undefined {
  const value = configuration.secrets[field] ?? configuration.values[field];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
