/**
 * Log paths whose values are secrets. pino replaces them with "[redacted]" before a line is written,
 * so a token passed to a logger by mistake never reaches the output. Wildcards cover one level of
 * nesting (pino's redaction is path-based, not a deep scan), which is why common containers (req,
 * headers, configuration, body, err) are listed explicitly.
 */
const secretKeys = [
  'authorization',
  'Authorization',
  'cookie',
  'x-api-key',
  'x-hub-signature-256',
  'access_token',
  'accessToken',
  'token',
  'pageToken',
  'page_token',
  'refreshToken',
  'secret',
  'appSecret',
  'app_secret',
  'client_secret',
  'clientSecret',
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'csrfToken',
  'x-csrf-token',
  'set-cookie',
  'sessionToken',
  'inviteToken',
  'apiKey',
  'api_key',
  'masterKey',
  'key',
  'secrets',
  'code',
  'fb_exchange_token',
  'appsecret_proof',
];

// `code` would redact FLOWCARD_ERR_* codes on error objects, which are the most useful thing in a
// log line; it is only redacted in request/query positions where it is an OAuth authorisation code.
const topLevelOnlyExcluded = new Set(['code', 'key']);

const containers = [
  'req',
  'req.headers',
  'headers',
  'request',
  'request.headers',
  'query',
  'req.query',
  'body',
  'config',
  'configuration',
  'values',
  'params',
  'input',
  'data',
  '*',
];

const bracket = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);

export const redactPaths: readonly string[] = [
  ...secretKeys.filter((key) => !topLevelOnlyExcluded.has(key)).map((key) => bracket(key).replace(/^\./, '')),
  ...containers.flatMap((container) =>
    secretKeys
      .filter((key) => !topLevelOnlyExcluded.has(key) || container.includes('query'))
      .map((key) => `${container}${bracket(key)}`),
  ),
  '*.secrets.*',
  'configuration.secrets.*',
];
