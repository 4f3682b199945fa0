import type { EmulatorCore } from '../emulator-core';
import type { TokenRecord } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { unixSeconds } from '../graph-time';
import { stringParam, type GraphCall } from '../graph/graph-call';
import { tokenLifetimes } from '../token-lifetimes';

/** Scopes that apply to specific pages: debug_token lists the selected pages as their target_ids. */
const PAGE_SCOPED = new Set([
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'pages_manage_engagement',
  'pages_manage_metadata',
  'pages_manage_ads',
  'pages_read_user_content',
  'pages_messaging',
  'leads_retrieval',
]);

function checkClient(call: GraphCall, core: EmulatorCore): void {
  if (stringParam(call, 'client_id') !== core.state.app.id) throw graphErrors.badClientId();
  if (stringParam(call, 'client_secret') !== core.state.app.secret) throw graphErrors.badClientSecret();
}

function tokenResponse(record: TokenRecord, now: number): Record<string, unknown> {
  return {
    access_token: record.token,
    token_type: 'bearer',
    ...(record.expiresAt ? { expires_in: Math.max(0, Math.floor((record.expiresAt - now) / 1000)) } : {}),
  };
}

/** `/oauth/access_token`: authorization code, fb_exchange_token (long-lived) and client_credentials (app token). */
export function accessToken(call: GraphCall, core: EmulatorCore): unknown {
  const grantType = stringParam(call, 'grant_type');
  const now = core.clock.now();
  checkClient(call, core);
  if (grantType === 'client_credentials') return { access_token: core.tokens.appToken, token_type: 'bearer' };
  if (grantType === 'fb_exchange_token') {
    const input = stringParam(call, 'fb_exchange_token');
    if (!input) throw graphErrors.invalidParameter('Missing fb_exchange_token parameter');
    const record = core.tokens.authenticate(input);
    if (record.kind === 'page') return tokenResponse(record, now);
    if (record.kind !== 'user' || !record.userId)
      throw graphErrors.invalidParameter('Only user and page access tokens can be exchanged');
    return tokenResponse(core.tokens.issueUserToken(record.userId, true), now);
  }
  if (grantType !== undefined && grantType !== 'authorization_code')
    throw graphErrors.invalidParameter(`Unsupported grant_type ${grantType}`);
  const code = stringParam(call, 'code');
  if (!code) throw graphErrors.invalidParameter('Missing authorization code');
  const stored = core.state.codes.get(code);
  if (!stored) throw graphErrors.codeInvalid();
  if (stored.used) throw graphErrors.codeUsed();
  if (now - stored.issuedAt > tokenLifetimes.codeMs) throw graphErrors.codeExpired();
  if (stringParam(call, 'redirect_uri') !== stored.redirectUri) throw graphErrors.redirectMismatch();
  stored.used = true;
  return tokenResponse(core.tokens.issueUserToken(stored.userId, false), now);
}

/** `/debug_token?input_token=…`: describes any token, valid or not, as Meta's Access Token Debugger does. */
export function debugToken(call: GraphCall, core: EmulatorCore): unknown {
  const input = stringParam(call, 'input_token');
  if (!input) throw graphErrors.invalidParameter('The parameter input_token is required');
  const { record, error } = core.tokens.inspect(input);
  const app = core.state.app;
  if (!record) {
    return {
      data: {
        error: {
          code: error?.code ?? 190,
          message: error?.message ?? 'Invalid OAuth access token',
          ...(error?.subcode ? { subcode: error.subcode } : {}),
        },
        is_valid: false,
        scopes: [],
      },
    };
  }
  if (record.kind === 'app')
    return { data: { app_id: app.id, type: 'APP', application: app.name, is_valid: true, scopes: [] } };
  const scopes = core.tokens.scopesOf(record);
  const grant = core.tokens.grantOf(record);
  const targets = grant ? [...grant.pageIds] : [];
  const workplace = record.kind === 'workplace' || record.kind === 'impersonation';
  return {
    data: {
      app_id: record.appId,
      type: record.kind === 'page' ? 'PAGE' : 'USER',
      application: workplace ? core.state.community.integrationName : app.name,
      data_access_expires_at: workplace ? 0 : unixSeconds(core.tokens.dataAccessExpiresAt(record)),
      expires_at: record.expiresAt === 0 ? 0 : unixSeconds(record.expiresAt),
      is_valid: error === undefined,
      issued_at: unixSeconds(record.issuedAt),
      ...(record.kind === 'page' ? { profile_id: record.pageId } : {}),
      scopes,
      granular_scopes: scopes.map((scope) =>
        PAGE_SCOPED.has(scope) && !workplace ? { scope, target_ids: targets } : { scope },
      ),
      user_id: record.userId ?? record.memberId ?? core.state.community.integrationId,
      ...(error
        ? {
            error: {
              code: error.code,
              message: error.message,
              ...(error.subcode ? { subcode: error.subcode } : {}),
            },
          }
        : {}),
    },
  };
}
