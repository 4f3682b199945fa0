import { createAdmin, getBound, Ports, type CreateAdminRequest } from '@flowcard/runtime';
import type { TestRuntime } from './start-test-runtime';

type Role = NonNullable<CreateAdminRequest['role']>;

/** The people of one workspace, by the names a test gave them. */
export interface WorkspaceFixture<Name extends string> {
  /** Each person's API key. */
  readonly keys: Record<Name, string>;
  /** Each person's user id. */
  readonly ids: Record<Name, string>;
  readonly workspaceId: string;
}

/**
 * Creates the people of `workspace` straight in the runtime's store, in the order given: each is
 * `<name>@example.com` with the role given and an API key of their own.
 */
export async function createWorkspaceFixture<Name extends string>(
  runtime: TestRuntime,
  workspace: string,
  roles: Record<Name, Role>,
): Promise<WorkspaceFixture<Name>> {
  const repositories = {
    users: getBound(runtime.handle.container, Ports.users),
    workspaces: getBound(runtime.handle.container, Ports.workspaces),
  };
  const keys = {} as Record<Name, string>;
  const ids = {} as Record<Name, string>;
  let workspaceId = '';
  for (const [name, role] of Object.entries(roles) as Array<[Name, Role]>) {
    const created = await createAdmin(repositories, { email: `${name}@example.com`, workspace, role });
    keys[name] = created.apiKey;
    ids[name] = created.user.id;
    workspaceId = created.workspace.id;
  }
  return { keys, ids, workspaceId };
}
