import type {
  AuditRepository,
  Clock,
  Configuration,
  ConfigurationRepository,
  ConnectorRegistry,
  FlowDocument,
  FlowRepository,
  User,
  UserRepository,
} from '@flowcard/engine';
import type { Redis } from 'ioredis';
import { findConfigurationKind } from '../configurations/configuration-kind';
import type { ConfigurationService } from '../configurations/configuration-service';
import { roleAtLeast, type Principal, type WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { SessionService } from './session-service';

export interface MemberView {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: WorkspaceRole;
  readonly lastSeenAt: string | null;
  readonly isYou: boolean;
}

export interface OwnedItems {
  readonly configurations: { id: string; nickname: string; connector: string }[];
  readonly flows: { id: string; name: string }[];
}

export interface TeamDependencies {
  readonly users: UserRepository;
  readonly configurations: ConfigurationRepository;
  readonly configurationService: ConfigurationService;
  readonly registry: ConnectorRegistry;
  readonly flows: FlowRepository;
  /** Told when a flow's owner changes, so every process drops its cached copy. */
  readonly flowChanged: (flowId: string) => Promise<void>;
  readonly sessions: SessionService;
  readonly audit: AuditRepository;
  readonly redis: Redis;
  readonly redisPrefix: string;
  readonly clock: Clock;
}

const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;
const FLOW_PAGE = 200;

/**
 * The members of a workspace: list, change role, remove. Rules (README "People and sign-in"):
 * members read the list; owners and admins change roles and remove members; only an owner makes
 * someone an owner or changes an owner; the workspace never loses its last owner. Role changes and
 * removals of one workspace run one at a time (a short Redis lock), so two admins demoting the two
 * last owners at once cannot leave none.
 */
export class TeamService {
  constructor(private readonly deps: TeamDependencies) {}

  async members(principal: Principal): Promise<MemberView[]> {
    const users = await this.deps.users.listByWorkspace(principal.workspace.id);
    return users.map((user) => this.view(user, principal));
  }

  async changeRole(principal: Principal, userId: string, role: WorkspaceRole): Promise<MemberView> {
    return this.locked(principal.workspace.id, async () => {
      const users = await this.deps.users.listByWorkspace(principal.workspace.id);
      const target = users.find((user) => user.id === userId);
      const current = target && roleIn(target, principal.workspace.id);
      if (!target || !current) throw apiError('FLOWCARD_ERR_MEMBER_NOT_FOUND', { userId });
      if ((role === 'owner' || current === 'owner') && principal.role !== 'owner')
        throw apiError('FLOWCARD_ERR_OWNER_ROLE_FORBIDDEN');
      if (current === role) return this.view(target, principal);
      if (current === 'owner' && ownersOf(users, principal.workspace.id) <= 1)
        throw apiError('FLOWCARD_ERR_LAST_OWNER');
      const updated = await this.deps.users.setMembership(userId, principal.workspace.id, role);
      await this.record(principal, 'team.role_changed', { userId, from: current, to: role });
      return this.view(updated, principal);
    });
  }

  /** What a member owns in this workspace: what removing them would have to transfer. */
  async owned(principal: Principal, userId: string): Promise<OwnedItems> {
    const users = await this.deps.users.listByWorkspace(principal.workspace.id);
    if (!users.some((user) => user.id === userId))
      throw apiError('FLOWCARD_ERR_MEMBER_NOT_FOUND', { userId });
    const { configurations, flows } = await this.ownedBy(principal.workspace.id, userId);
    return {
      configurations: configurations.map((c) => ({ id: c.id, nickname: c.nickname, connector: c.connector })),
      flows: flows.map((f) => ({ id: f.id, name: f.spec.name })),
    };
  }

  /**
   * Removes a member. What they own is transferred to `transferTo` first; without it, a member who
   * owns anything is not removed (409 with the list): nothing is deleted silently. Their sessions
   * in this workspace end and their API keys for it are revoked.
   */
  async remove(
    principal: Principal,
    userId: string,
    transferTo: string | undefined,
  ): Promise<{ transferred: { configurations: number; flows: number } }> {
    return this.locked(principal.workspace.id, async () => {
      const workspaceId = principal.workspace.id;
      const users = await this.deps.users.listByWorkspace(workspaceId);
      const target = users.find((user) => user.id === userId);
      const current = target && roleIn(target, workspaceId);
      if (!target || !current) throw apiError('FLOWCARD_ERR_MEMBER_NOT_FOUND', { userId });
      if (current === 'owner' && principal.role !== 'owner')
        throw apiError('FLOWCARD_ERR_OWNER_ROLE_FORBIDDEN');
      if (current === 'owner' && ownersOf(users, workspaceId) <= 1) throw apiError('FLOWCARD_ERR_LAST_OWNER');
      const { configurations, flows } = await this.ownedBy(workspaceId, userId);
      if ((configurations.length > 0 || flows.length > 0) && transferTo === undefined) {
        throw apiError(
          'FLOWCARD_ERR_MEMBER_OWNS_ITEMS',
          { name: target.name || target.email, configurations: configurations.length, flows: flows.length },
          {
            configurations: configurations.map((c) => ({
              id: c.id,
              nickname: c.nickname,
              connector: c.connector,
            })),
            flows: flows.map((f) => ({ id: f.id, name: f.spec.name })),
          },
        );
      }
      if (transferTo !== undefined) {
        const heir = users.find((user) => user.id === transferTo);
        const heirRole = heir && roleIn(heir, workspaceId);
        if (!heirRole || transferTo === userId)
          throw apiError('FLOWCARD_ERR_TRANSFER_TARGET_INVALID', { userId: transferTo });
        // The heir must be allowed to own every configuration (a Workplace token needs an admin):
        // checked for all of them before anything moves, so a refusal changes nothing.
        for (const configuration of configurations) {
          const required = this.requiredRole(configuration);
          if (!roleAtLeast(heirRole, required))
            throw apiError('FLOWCARD_ERR_CONFIGURATION_ROLE_FORBIDDEN', {
              required,
              title:
                this.deps.registry.get(configuration.connector)?.manifest.title ?? configuration.connector,
            });
        }
      }
      // Configurations through the configurations service (its access rules, audit and cache
      // invalidation), then flows (their cached copies dropped everywhere).
      for (const configuration of configurations)
        await this.deps.configurationService.transfer(principal, configuration.id, transferTo!);
      for (const flow of flows) {
        await this.deps.flows.update(flow.id, flow.version, { ownerId: transferTo! });
        await this.deps.flowChanged(flow.id);
      }
      await this.deps.users.removeMembership(userId, workspaceId);
      const endedSessions = await this.deps.sessions.endAllOf(userId, workspaceId);
      const now = this.deps.clock.now();
      let revokedKeys = 0;
      for (const key of await this.deps.users.listApiKeys(userId)) {
        if (
          key.workspaceId === workspaceId &&
          !key.revokedAt &&
          (await this.deps.users.revokeApiKey(key.id, now))
        )
          revokedKeys += 1;
      }
      await this.record(principal, 'team.member_removed', {
        userId,
        role: current,
        transferTo: transferTo ?? null,
        configurations: configurations.length,
        flows: flows.length,
        endedSessions,
        revokedKeys,
      });
      return { transferred: { configurations: configurations.length, flows: flows.length } };
    });
  }

  /** Appends a team event to the workspace's audit log. */
  record(principal: Principal, action: string, details: Record<string, unknown>): Promise<unknown> {
    return this.deps.audit.append({
      workspaceId: principal.workspace.id,
      actorId: principal.user.id,
      action,
      details,
      at: this.deps.clock.now(),
    });
  }

  private async ownedBy(
    workspaceId: string,
    userId: string,
  ): Promise<{ configurations: Configuration[]; flows: FlowDocument[] }> {
    const configurations = (await this.deps.configurations.listByWorkspace({ workspaceId })).filter(
      (configuration) => configuration.ownerId === userId,
    );
    const flows: FlowDocument[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await this.deps.flows.listByWorkspace({
        workspaceId,
        limit: FLOW_PAGE,
        ...(afterId ? { afterId } : {}),
      });
      flows.push(...page.filter((flow) => flow.ownerId === userId));
      if (page.length < FLOW_PAGE) break;
      afterId = page.at(-1)!.id;
    }
    return { configurations, flows };
  }

  private requiredRole(configuration: Configuration): WorkspaceRole {
    try {
      return (
        findConfigurationKind(this.deps.registry, configuration.connector, configuration.kind).spec
          .requiresRole ?? 'member'
      );
    } catch {
      // A connector no longer installed: only an admin may hold what nobody can inspect.
      return 'admin';
    }
  }

  private view(user: User, principal: Principal): MemberView {
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      role: roleIn(user, principal.workspace.id) ?? 'member',
      lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
      isYou: user.id === principal.user.id,
    };
  }

  private async locked<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.deps.redisPrefix}:team-lock:${workspaceId}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    while ((await this.deps.redis.set(key, '1', 'PX', LOCK_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'Team changes' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      return await work();
    } finally {
      await this.deps.redis.del(key);
    }
  }
}

function roleIn(user: User, workspaceId: string): WorkspaceRole | undefined {
  return user.memberships.find((m) => m.workspaceId === workspaceId)?.role;
}

function ownersOf(users: readonly User[], workspaceId: string): number {
  return users.filter((user) => roleIn(user, workspaceId) === 'owner').length;
}
