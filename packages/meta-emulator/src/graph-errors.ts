import { GraphError } from './graph-error';

/**
 * Every Graph error the emulator can produce, with Meta's codes, subcodes, HTTP statuses and
 * wording, in one place so a fidelity fix is a one-line change. Rate-limit errors use HTTP 400:
 * Graph does not send 429 (see README, "HTTP statuses").
 */
export const graphErrors = {
  cannotParseToken: (): GraphError =>
    new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token'),
  missingToken: (): GraphError =>
    new GraphError(
      400,
      2500,
      'An active access token must be used to query information about the current user.',
    ),
  accessTokenRequired: (): GraphError =>
    new GraphError(400, 104, 'An access token is required to request this resource.'),
  tokenInvalidated: (): GraphError =>
    new GraphError(
      400,
      190,
      'Error validating access token: The access token has been invalidated (rotated or revoked).',
    ),
  tokenExpired: (expiredAtMs: number, nowMs: number): GraphError =>
    new GraphError(
      400,
      190,
      `Error validating access token: Session has expired on ${new Date(expiredAtMs).toUTCString()}. The current time is ${new Date(nowMs).toUTCString()}.`,
      {
        subcode: 463,
        userTitle: 'Session expired',
        userMsg: 'Your session has expired. Please log in again.',
      },
    ),
  passwordChanged: (): GraphError =>
    new GraphError(
      400,
      190,
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      { subcode: 460 },
    ),
  appNotInstalled: (userId: string, appId: string): GraphError =>
    new GraphError(
      400,
      190,
      `Error validating access token: The user ${userId} has not authorized application ${appId}.`,
      {
        subcode: 458,
      },
    ),
  tokenSubcode: (subcode: number): GraphError =>
    new GraphError(400, 190, `Error validating access token: the session is invalid (subcode ${subcode}).`, {
      subcode,
    }),
  pageRoleLost: (pageId: string): GraphError =>
    new GraphError(
      400,
      190,
      `Error validating access token: The user is no longer an administrator of page ${pageId}.`,
      {
        subcode: 492,
      },
    ),
  badAppToken: (): GraphError => new GraphError(400, 190, 'Invalid OAuth access token signature.'),
  appsecretProofMissing: (): GraphError =>
    new GraphError(400, 100, 'API calls from the server require an appsecret_proof argument'),
  appsecretProofInvalid: (): GraphError =>
    new GraphError(400, 100, 'Invalid appsecret_proof provided in the API argument'),
  unsupported: (method: string, id: string): GraphError =>
    new GraphError(
      400,
      100,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { subcode: 33, type: 'GraphMethodException' },
    ),
  unknownPath: (path: string): GraphError => new GraphError(400, 2500, `Unknown path components: /${path}`),
  nonexistingField: (field: string, nodeType: string): GraphError =>
    new GraphError(
      400,
      100,
      `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
    ),
  invalidParameter: (detail: string): GraphError => new GraphError(400, 100, `(#100) ${detail}`),
  aliasesMissing: (ids: string[]): GraphError =>
    new GraphError(404, 803, `(#803) Some of the aliases you requested do not exist: ${ids.join(',')}`),
  missingPermission: (permissions: string[]): GraphError =>
    new GraphError(
      400,
      200,
      `(#200) Requires the ${permissions.join(' and ')} permission${permissions.length > 1 ? 's' : ''} to be granted.`,
    ),
  pageTokenRequired: (): GraphError =>
    new GraphError(
      400,
      200,
      '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission, using a Page access token.',
    ),
  missingTask: (task: string): GraphError =>
    new GraphError(400, 200, `(#200) The user does not have the ${task} task on this Page.`),
  appTokenRequired: (): GraphError =>
    new GraphError(400, 15, '(#15) This method must be called with an app access_token.'),
  duplicatePost: (): GraphError =>
    new GraphError(400, 506, '(#506) Duplicate status message', {
      userTitle: 'Duplicate Post',
      userMsg: 'This status update is identical to the last one you posted.',
    }),
  // OAuth code exchange
  codeExpired: (): GraphError =>
    new GraphError(400, 100, 'This authorization code has expired.', { subcode: 36007 }),
  codeUsed: (): GraphError =>
    new GraphError(400, 100, 'This authorization code has been used.', { subcode: 36009 }),
  codeInvalid: (): GraphError =>
    new GraphError(400, 100, 'Invalid verification code format.', { subcode: 36008 }),
  redirectMismatch: (): GraphError =>
    new GraphError(
      400,
      100,
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      { subcode: 36008 },
    ),
  // Meta really answers a wrong secret with code 1 (and HTTP 400, not transient).
  badClientSecret: (): GraphError => new GraphError(400, 1, 'Error validating client secret.'),
  badClientId: (): GraphError =>
    new GraphError(400, 101, 'Error validating application. Invalid application ID.'),
  callbackVerificationFailed: (detail: string): GraphError =>
    new GraphError(400, 2200, `(#2200) callback verification failed: ${detail}`),
  transient: (code: 1 | 2): GraphError =>
    code === 1
      ? new GraphError(500, 1, 'An unknown error occurred', { isTransient: true })
      : new GraphError(500, 2, 'An unexpected error has occurred. Please retry your request later.', {
          isTransient: true,
        }),
  rateLimited: (code: number, httpStatus: number, headers: Record<string, string>): GraphError =>
    new GraphError(httpStatus, code, rateLimitMessage(code), { isTransient: true, headers }),
  requiresUpload: (): GraphError => new GraphError(400, 324, '(#324) Requires upload file'),
  userNotFound: (): GraphError =>
    new GraphError(400, 100, '(#100) No matching user found', { subcode: 2018001 }),
};

function rateLimitMessage(code: number): string {
  switch (code) {
    case 4:
      return '(#4) Application request limit reached';
    case 17:
      return '(#17) User request limit reached';
    case 32:
      return '(#32) Page request limit reached';
    case 613:
      return '(#613) Calls to this api have exceeded the rate limit.';
    case 80001:
      return '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.';
    case 80005:
      return '(#80005) There have been too many leadgen api calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.';
    default:
      return `(#${code}) Rate limit reached`;
  }
}

/** Codes the control API accepts for `rateLimit`. */
export const RATE_LIMIT_CODES = [4, 17, 32, 613, 80001, 80005] as const;
export type RateLimitCode = (typeof RATE_LIMIT_CODES)[number];
