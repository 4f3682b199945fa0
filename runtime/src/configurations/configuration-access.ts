import type { Configuration } from '@flowcard/engine';
import { roleAtLeast, type Principal } from '../http/auth/principal';

/**
 * Who may do what with a saved configuration (docs/architecture.md §4). This is the one policy: the
 * configurations API, the catalog's options route and Connect Meta all ask here.
 * - manage (rename, rotate, share, transfer, delete): its owner, or an admin/owner of the workspace;
 * - use (run cards, test, read its audit trail): its owner and whoever it is shared with;
 * - see: whoever may use or manage it. Everyone else gets 404, as for an unknown id, so the
 *   existence of other people's private configurations does not leak.
 */
export function mayManageConfiguration(
  configuration: Pick<Configuration, 'workspaceId' | 'ownerId'>,
  principal: Principal,
): boolean {
  if (configuration.workspaceId !== principal.workspace.id) return false;
  return configuration.ownerId === principal.user.id || roleAtLeast(principal.role, 'admin');
}

/** What the use policy looks at: where a configuration lives, whose it is, whom it is shared with. */
export type UsePolicySubject = Pick<Configuration, 'workspaceId' | 'ownerId' | 'status' | 'sharing'>;

/** Who is about to use a configuration: a user acting in a workspace. */
export interface ConfigurationUser {
  readonly userId: string;
  readonly workspaceId: string;
}

/**
 * Whether a user may *use* a configuration (run a card with it): it is in their workspace, not
 * revoked, and they own it or it is shared with the workspace or with them by name. Using never
 * means reading the secret, and admins do not use others' private configurations: managing is not
 * using. The resolver (flows) and the routes (principal) both come here.
 */
export function mayUse(configuration: UsePolicySubject, user: ConfigurationUser): boolean {
  if (configuration.workspaceId !== user.workspaceId) return false;
  if (configuration.status === 'revoked') return false;
  if (configuration.ownerId === user.userId) return true;
  if (configuration.sharing.mode === 'workspace') return true;
  return configuration.sharing.mode === 'users' && configuration.sharing.userIds.includes(user.userId);
}

/** `mayUse` for the caller of a route. */
export function mayUseConfiguration(configuration: UsePolicySubject, principal: Principal): boolean {
  return mayUse(configuration, { userId: principal.user.id, workspaceId: principal.workspace.id });
}

export function maySeeConfiguration(configuration: UsePolicySubject, principal: Principal): boolean {
  return mayManageConfiguration(configuration, principal) || mayUseConfiguration(configuration, principal);
}
