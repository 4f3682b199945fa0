import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../emulator-core';
import type { PermissionGrant } from '../emulator-entities';

/** Permissions the dialog knows; anything else is refused the way Meta's "Invalid Scopes" page does. */
export const KNOWN_PERMISSIONS = new Set([
  'public_profile',
  'email',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'pages_manage_engagement',
  'pages_manage_metadata',
  'pages_manage_ads',
  'pages_read_user_content',
  'pages_messaging',
  'leads_retrieval',
  'business_management',
  'ads_management',
  'ads_read',
]);

export type DialogResult = { status: 302; location: string } | { status: 400; html: string };

function errorPage(message: string): DialogResult {
  return {
    status: 400,
    html: `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1><p>${message.replace(/[<>&]/g, '')}</p></body></html>`,
  };
}

function redirect(redirectUri: string, params: Record<string, string | undefined>): DialogResult {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  // Facebook appends this fragment to every dialog redirect.
  url.hash = '_=_';
  return { status: 302, location: url.toString() };
}

/**
 * The login dialog, with no UI: it consents at once as the seed user, or follows the outcome the
 * test chose (another user, declined permissions, a subset of pages, or denial).
 */
export function runDialog(query: Record<string, string | undefined>, core: EmulatorCore): DialogResult {
  const { client_id: clientId, redirect_uri: redirectUri, state, scope, auth_type: authType } = query;
  if (clientId !== core.state.app.id)
    return errorPage('Invalid App ID: The provided app ID does not look like a valid app ID.');
  if (!redirectUri) return errorPage('The parameter redirect_uri is required.');
  try {
    new URL(redirectUri);
  } catch {
    return errorPage(
      "URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.",
    );
  }
  const requested = new Set(['public_profile', ...(scope ?? '').split(/[ ,]+/).filter((s) => s.length > 0)]);
  const invalid = [...requested].filter((s) => !KNOWN_PERMISSIONS.has(s));
  if (invalid.length > 0) return errorPage(`Invalid Scopes: ${invalid.join(', ')}.`);

  const outcome = core.takeDialogOutcome();
  if (outcome.deny) {
    return redirect(redirectUri, {
      error: 'access_denied',
      error_code: '200',
      error_description: 'Permissions error',
      error_reason: 'user_denied',
      state,
    });
  }
  const userId = outcome.userId ?? core.fixtures.user.id;
  const user = core.state.users.get(userId);
  if (!user) return errorPage(`Unknown emulated user ${userId}`);
  const now = core.clock.now();
  const existing = core.state.grants.get(userId);
  const grant: PermissionGrant = existing ?? {
    id: core.state.newGrantId(),
    userId,
    granted: new Set(),
    declined: new Set(),
    pageIds: new Set(),
    grantedAt: now,
  };
  const declinedNow = new Set((outcome.declinedPermissions ?? []).filter((p) => p !== 'public_profile'));
  for (const permission of requested) {
    // Without auth_type=rerequest Meta does not ask again for what the user declined before.
    if (grant.declined.has(permission) && authType !== 'rerequest') continue;
    if (declinedNow.has(permission)) {
      grant.granted.delete(permission);
      grant.declined.add(permission);
    } else {
      grant.granted.add(permission);
      grant.declined.delete(permission);
    }
  }
  const managed = [...user.pageTasks.keys()];
  grant.pageIds = new Set(outcome.pageIds ? outcome.pageIds.filter((id) => managed.includes(id)) : managed);
  grant.grantedAt = now;
  core.state.grants.set(userId, grant);

  const code = `AQ${randomBytes(48).toString('base64url')}`;
  core.state.codes.set(code, { code, userId, redirectUri, issuedAt: now, used: false });
  return redirect(redirectUri, { code, state });
}
