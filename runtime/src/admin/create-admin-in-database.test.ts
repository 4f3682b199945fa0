import { hashToken } from '@flowcard/engine';
import { openMongoStore } from '@flowcard/store';
import { mongoUri, uniqueName } from '../../../test/support/env';
import { createAdminInDatabase } from './create-admin-in-database';

describe('createAdminInDatabase (flowcard admin create without --api)', () => {
  const database = uniqueName(__filename);

  it('creates the workspace, the user and a key that resolves to them, storing only the hash', async () => {
    const created = await createAdminInDatabase(
      { email: 'ops@example.com', workspace: 'Ops', role: 'admin' },
      { MONGODB_URI: mongoUri(), FLOWCARD_MONGODB_DATABASE: database },
    );
    const opened = await openMongoStore({ uri: mongoUri(), dbName: database });
    try {
      const identity = await opened.store.users.findByApiKeyHash(hashToken(created.apiKey));
      expect(identity).toMatchObject({
        user: { email: 'ops@example.com' },
        role: 'admin',
        apiKey: { workspaceId: created.workspace.id },
      });
      expect(JSON.stringify(await opened.store.users.listApiKeys(created.user.id))).not.toContain(
        created.apiKey,
      );
    } finally {
      await opened.close();
    }
  });

  it('reuses the workspace of that name and gives an existing user the role there', async () => {
    const env = { MONGODB_URI: mongoUri(), FLOWCARD_MONGODB_DATABASE: database };
    const first = await createAdminInDatabase({ email: 'two@example.com', workspace: 'Shared' }, env);
    const second = await createAdminInDatabase(
      { email: 'two@example.com', workspace: 'Shared', role: 'member' },
      env,
    );
    expect(second.workspace.id).toBe(first.workspace.id);
    expect(second.user.id).toBe(first.user.id);
    expect(second.user.memberships).toEqual([{ workspaceId: first.workspace.id, role: 'member' }]);
  });

  it('says to use --api when there is no MONGODB_URI', async () => {
    await expect(createAdminInDatabase({ email: 'x@example.com', workspace: 'X' }, {})).rejects.toThrow(
      'pass --api <url> of a running Flowcard',
    );
  });
});
