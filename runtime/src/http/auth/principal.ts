/** Workspace roles, lowest first: a role may do everything the roles before it may. */
export const workspaceRoles = ['member', 'admin', 'owner'] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

/** Who is calling: resolved from the API key or the session cookie on every authenticated request. */
export interface Principal {
  readonly user: { readonly id: string; readonly email: string; readonly name?: string };
  readonly workspace: { readonly id: string; readonly name: string };
  readonly role: WorkspaceRole;
  /** Id of the API key used (never the key itself), for audit entries; absent for a session. */
  readonly apiKeyId?: string;
  /** Public id of the Studio session used (never its cookie); absent for an API key. */
  readonly sessionId?: string;
}

/** How the caller authenticated. */
export function authOf(principal: Principal): 'session' | 'api-key' {
  return principal.sessionId ? 'session' : 'api-key';
}

/** True when `role` is `required` or ranks above it. */
export function roleAtLeast(role: WorkspaceRole, required: WorkspaceRole): boolean {
  return workspaceRoles.indexOf(role) >= workspaceRoles.indexOf(required);
}
