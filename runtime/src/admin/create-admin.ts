import {
  generateApiKey,
  type User,
  type UserRepository,
  type Workspace,
  type WorkspaceRepository,
} from '@flowcard/engine';
import type { WorkspaceRole } from '../http/auth/principal';

export interface CreateAdminRequest {
  readonly email: string;
  /** Workspace name: an existing workspace of that name is reused, otherwise one is created. */
  readonly workspace: string;
  readonly role?: WorkspaceRole;
  readonly name?: string;
  /** Name of the API key, shown in key listings. */
  readonly keyName?: string;
}

export interface CreatedAdmin {
  readonly workspace: Workspace;
  readonly user: User;
  readonly role: WorkspaceRole;
  /** The API key in clear: shown once, never stored (only its hash is). */
  readonly apiKey: string;
  readonly apiKeyId: string;
}

/**
 * Creates (or reuses) a workspace, creates the user or gives an existing user the role there, and
 * issues an API key acting in that workspace. Shared by `flowcard admin create` and the bootstrap
 * route so both behave the same.
 */
export async function createAdmin(
  repositories: { readonly users: UserRepository; readonly workspaces: WorkspaceRepository },
  request: CreateAdminRequest,
): Promise<CreatedAdmin> {
  const { users, workspaces } = repositories;
  const role = request.role ?? 'owner';
  const workspace =
    (await workspaces.list()).find((existing) => existing.name === request.workspace) ??
    (await workspaces.create({ name: request.workspace }));
  const existing = await users.findByEmail(request.email);
  const user = existing
    ? await users.setMembership(existing.id, workspace.id, role)
    : await users.create({
        email: request.email,
        name: request.name,
        memberships: [{ workspaceId: workspace.id, role }],
      });
  const key = generateApiKey();
  await users.createApiKey({
    id: key.id,
    userId: user.id,
    workspaceId: workspace.id,
    name: request.keyName ?? 'admin create',
    hash: key.hash,
  });
  return { workspace, user, role, apiKey: key.key, apiKeyId: key.id };
}
