import type { Configuration } from '@flowcard/engine';
import type { Principal } from '../http/auth/principal';
import {
  mayManageConfiguration,
  mayUse,
  mayUseConfiguration,
  maySeeConfiguration,
  type UsePolicySubject,
} from './configuration-access';

const principal = (userId: string, role: Principal['role'] = 'member', workspaceId = 'w1'): Principal => ({
  user: { id: userId, email: `${userId}@example.com` },
  workspace: { id: workspaceId, name: 'Acme' },
  role,
  apiKeyId: 'k',
});

const configuration = (
  sharing: Configuration['sharing'],
  status: UsePolicySubject['status'] = 'active',
): UsePolicySubject => ({
  workspaceId: 'w1',
  ownerId: 'owner',
  status,
  sharing,
});

describe('the configuration access policy', () => {
  const priv = configuration({ mode: 'private', userIds: [] });
  const named = configuration({ mode: 'users', userIds: ['bob'] });
  const everyone = configuration({ mode: 'workspace', userIds: [] });

  it('lets the owner use a private configuration and nobody else, not even an admin', () => {
    expect(mayUseConfiguration(priv, principal('owner'))).toBe(true);
    expect(mayUseConfiguration(priv, principal('bob'))).toBe(false);
    expect(mayUseConfiguration(priv, principal('admin', 'admin'))).toBe(false);
  });

  it('lets named users and, when shared with the workspace, every member use it', () => {
    expect(mayUseConfiguration(named, principal('bob'))).toBe(true);
    expect(mayUseConfiguration(named, principal('carol'))).toBe(false);
    expect(mayUseConfiguration(everyone, principal('carol'))).toBe(true);
  });

  it('lets nobody use a revoked configuration or one of another workspace', () => {
    expect(
      mayUseConfiguration(configuration({ mode: 'workspace', userIds: [] }, 'revoked'), principal('owner')),
    ).toBe(false);
    expect(mayUseConfiguration(everyone, principal('owner', 'owner', 'w2'))).toBe(false);
  });

  it('answers the same for a flow user as for the caller of a route', () => {
    expect(mayUse(named, { userId: 'bob', workspaceId: 'w1' })).toBe(true);
    expect(mayUse(named, { userId: 'bob', workspaceId: 'w2' })).toBe(false);
  });

  it('lets admins manage and see what they may not use', () => {
    expect(mayManageConfiguration(priv, principal('admin', 'admin'))).toBe(true);
    expect(maySeeConfiguration(priv, principal('admin', 'admin'))).toBe(true);
    expect(maySeeConfiguration(priv, principal('bob'))).toBe(false);
    expect(mayManageConfiguration(named, principal('bob'))).toBe(false);
    expect(maySeeConfiguration(named, principal('bob'))).toBe(true);
  });
});
