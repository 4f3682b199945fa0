// Credentials travel in three places (Authorization header, access_token / appsecret_proof
// parameters, client_secret in OAuth exchanges); any of them can end up in an axios error
// message, a logged URL or an echoed request, so every text leaving the HTTP layer passes here.
const PARAMETER =
  /((?:access_token|appsecret_proof|client_secret|fb_exchange_token|input_token)=)[^&\s"']+/gi;
const JSON_FIELD = /("(?:access_token|appsecret_proof|client_secret|authorization)"\s*:\s*")[^"]*(")/gi;
const AUTHORIZATION = /(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|oauth)?\s*)[^\s"',}]+/gi;
const BEARER = /(\bbearer\s+)[A-Za-z0-9._~+/=|-]{8,}/gi;

export const REDACTED = '[redacted]';

// Every word the four patterns above start from; a text without any of them cannot match them.
const CREDENTIAL_WORD =
  /access_token|appsecret_proof|client_secret|fb_exchange_token|input_token|authorization|bearer/i;

/**
 * True when redactSecrets could change `text`: it names a credential parameter or header, or holds
 * one of the literal `secrets`. One scan instead of four replaces and a split per secret: most texts
 * (step inputs above all) carry no credential, and redactSecrets returns them at once.
 */
export function mayContainSecrets(text: string, secrets: readonly string[] = []): boolean {
  if (CREDENTIAL_WORD.test(text)) return true;
  for (const secret of secrets) if (secret.length >= 6 && text.includes(secret)) return true;
  return false;
}

/**
 * Removes tokens from a text: known credential parameters and headers, plus every literal secret
 * value given (a token echoed somewhere unexpected is still caught).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  if (!mayContainSecrets(text, secrets)) return text;
  let out = text
    .replace(PARAMETER, `$1${REDACTED}`)
    .replace(JSON_FIELD, `$1${REDACTED}$2`)
    .replace(AUTHORIZATION, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`);
  for (const secret of secrets) {
    // Short values (a flag, "1") would shred the text without protecting anything.
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out;
}
