import { FlowcardError, type CardExecutor } from '@flowcard/engine';
import type { FlowSignal } from '@flowcard/sdk';
import { runtimeErrorCodes } from '../http/errors/runtime-error-codes';
import type { ConfigurationKind } from './configuration-kind';

/** The outcome of a connection test; `error` carries the executor's classified, redacted failure. */
export type ConnectionTestResult =
  | { readonly ok: true; readonly card: string | null }
  | {
      readonly ok: false;
      readonly card: string;
      readonly error: {
        readonly code: string;
        readonly signal: FlowSignal | 'invalid';
        readonly message: string;
      };
    };

/**
 * Runs the kind's test card (no input) with the given credentials through the card executor, so a
 * test talks to the service exactly as a flow step would. A kind without a test card passes.
 */
export async function runConnectionTest(
  executor: CardExecutor,
  kind: ConfigurationKind,
  configuration: {
    id?: string;
    values: Readonly<Record<string, unknown>>;
    secrets: Readonly<Record<string, string>>;
  },
): Promise<ConnectionTestResult> {
  const card = kind.testCard;
  if (!card) return { ok: true, card: null };
  try {
    await executor.execute({ card, configuration, input: {} });
    return { ok: true, card: card.ref };
  } catch (error) {
    // Recognised by name and code (docs/conventions.md #5); the executor already scrubbed the call's secrets.
    const failure = error as {
      name?: string;
      code?: unknown;
      signal?: FlowSignal;
      message?: string;
    };
    if (failure?.name !== 'CardError' && failure?.name !== 'FlowcardError') throw error;
    const code = typeof failure.code === 'string' ? failure.code : 'FLOWCARD_ERR_CARD_FAILED';
    let message = failure.message ?? 'the test card failed';
    if (code === 'FLOWCARD_ERR_AUTH_INVALID_TOKEN') {
      // A base URL that is not the service answers anything, often "invalid token": say so instead.
      const wrongUrl = await wrongScimUrl(kind, configuration.values);
      if (wrongUrl) return { ok: false, card: card.ref, error: wrongUrl };
      // A brand-new configuration was never valid: "no longer valid" would be wrong.
      const said = /^The configuration's credentials are no longer valid \((.*?)\): ([\s\S]*)$/.exec(message);
      if (configuration.id === undefined && said)
        message = new FlowcardError(runtimeErrorCodes.FLOWCARD_ERR_CONFIGURATION_CREDENTIALS_REFUSED, {
          reason: said[1],
          message: said[2],
        }).message;
    }
    return {
      ok: false,
      card: card.ref,
      error: {
        code,
        signal: failure.signal ?? 'invalid',
        message: scrub(message, Object.values(configuration.secrets)),
      },
    };
  }
}

const SCIM_SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/**
 * For a SCIM kind (base URL = the configuration's `instanceUrl`): whether that URL is a SCIM 2.0
 * service at all, asked the way RFC 7644 allows without credentials (`/ServiceProviderConfig`). A
 * wrong URL would otherwise be reported as a wrong token, sending the admin after the wrong field.
 */
async function wrongScimUrl(
  kind: ConfigurationKind,
  values: Readonly<Record<string, unknown>>,
): Promise<{ code: string; signal: 'invalid'; message: string } | null> {
  const instanceUrl = values.instanceUrl;
  if (!kind.spec.baseUrl.includes('config.instanceUrl') || typeof instanceUrl !== 'string') return null;
  const probe = `${instanceUrl.replace(/\/+$/, '')}/ServiceProviderConfig`;
  let scim = false;
  try {
    const response = await fetch(probe, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json().catch(() => ({}))) as { schemas?: unknown };
    const schemas = Array.isArray(body.schemas) ? body.schemas : [];
    scim =
      schemas.includes(SCIM_SERVICE_PROVIDER_CONFIG) ||
      schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error');
  } catch {
    scim = false;
  }
  if (scim) return null;
  return {
    code: 'FLOWCARD_ERR_CONFIGURATION_URL_NOT_SCIM',
    signal: 'invalid',
    message: new FlowcardError(runtimeErrorCodes.FLOWCARD_ERR_CONFIGURATION_URL_NOT_SCIM, {
      url: instanceUrl,
    }).message,
  };
}

/** Belt and braces: no secret of the configuration may appear in what the API answers. */
function scrub(message: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}
