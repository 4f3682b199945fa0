import {
  hashToken,
  type Clock,
  type Invite,
  type InviteRepository,
  type User,
  type UserRepository,
  type Workspace,
  type WorkspaceRepository,
} from '@flowcard/engine';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Principal, WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { NotificationChannel } from '../notifications/notifier';
import { fieldProblem, normalisedEmail, trimmedName } from './field-problem';
import { generateInviteToken, isInviteToken } from './invite-token';
import type { PeopleService, SignedIn } from './people-service';
import type { SessionService } from './session-service';
import type { TeamService } from './team-service';

/** An invite link works for 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

export type InviteStatus = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface InviteView {
  readonly id: string;
  readonly email: string;
  readonly role: WorkspaceRole;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly status: InviteStatus;
}

export interface CreatedInvite {
  readonly invite: InviteView;
  /** `<public url>/invite/<token>`: shown once to the admin (the token is stored hashed). */
  readonly link: string;
  /** True when the notifier's webhook took the link. */
  readonly notified: boolean;
}

export interface InvitePreview {
  readonly email: string;
  readonly workspaceName: string;
  readonly role: WorkspaceRole;
  readonly expiresAt: string;
  /** The email already has an account: accepting asks for that account's password, not a new one. */
  readonly accountExists: boolean;
}

export interface InviteDependencies {
  readonly invites: InviteRepository;
  readonly users: UserRepository;
  readonly workspaces: WorkspaceRepository;
  readonly people: PeopleService;
  readonly sessions: SessionService;
  readonly team: TeamService;
  readonly clock: Clock;
  readonly publicUrl: string;
  /** The notifier's webhook (FLOWCARD_NOTIFY_WEBHOOK_URL), when configured. */
  readonly webhook?: NotificationChannel;
  readonly logger: Logger;
}

/**
 * Invites by email with a single-use, expiring link. There is no mail server: the link is shown to
 * the admin to copy and, when the notifier's webhook is configured, sent there (only there: the
 * link is a credential, so it is never written to the log or the in-app list).
 */
export class InviteService {
  constructor(private readonly deps: InviteDependencies) {}

  async create(
    principal: Principal,
    request: { email: string; role: WorkspaceRole },
  ): Promise<CreatedInvite> {
    const email = normalisedEmail(request.email);
    const workspaceId = principal.workspace.id;
    const existing = await this.deps.users.findByEmail(email);
    if (existing?.memberships.some((m) => m.workspaceId === workspaceId))
      throw apiError('FLOWCARD_ERR_INVITE_ALREADY_MEMBER', { email });
    const now = this.deps.clock.now();
    // A new invite replaces the pending ones for the same email: only the latest link works.
    for (const older of await this.deps.invites.listByWorkspace(workspaceId)) {
      if (older.email === email && this.statusOf(older, now) === 'pending')
        await this.deps.invites.revoke(older.id, workspaceId, now);
    }
    const token = generateInviteToken();
    const invite = await this.deps.invites.create({
      id: randomBytes(8).toString('hex'),
      hash: hashToken(token),
      workspaceId,
      email,
      role: request.role,
      invitedBy: principal.user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
    });
    const link = `${this.deps.publicUrl}/invite/${token}`;
    const notified = await this.send(principal, invite, link);
    await this.deps.team.record(principal, 'team.invite_created', {
      inviteId: invite.id,
      email,
      role: invite.role,
      notified,
    });
    return { invite: this.view(invite, now), link, notified };
  }

  async list(principal: Principal): Promise<InviteView[]> {
    const now = this.deps.clock.now();
    return (await this.deps.invites.listByWorkspace(principal.workspace.id)).map((invite) =>
      this.view(invite, now),
    );
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!(await this.deps.invites.revoke(id, principal.workspace.id, this.deps.clock.now())))
      throw apiError('FLOWCARD_ERR_TEAM_INVITE_NOT_FOUND', { id });
    await this.deps.team.record(principal, 'team.invite_revoked', { inviteId: id });
  }

  /** What the invite page shows before accepting. */
  async preview(token: string): Promise<InvitePreview> {
    const { invite, workspace } = await this.usable(token);
    const account = await this.deps.users.findByEmail(invite.email);
    return {
      email: invite.email,
      workspaceName: workspace.name,
      role: invite.role,
      expiresAt: invite.expiresAt.toISOString(),
      accountExists: account !== null,
    };
  }

  /**
   * Accepts: a new account (name + password), or an existing account of that email joining with its
   * own password. The invite is marked used with a guarded update before the membership is added, so
   * of two concurrent accepts exactly one joins.
   */
  async accept(token: string, request: { name?: string; password: string }): Promise<SignedIn> {
    const { invite, workspace } = await this.usable(token);
    const account = await this.deps.users.findByEmail(invite.email);
    let name: string | undefined;
    if (account) {
      if (!(await this.deps.people.passwordMatches(account.id, request.password))) {
        // The account may be one a simultaneous accept of this very invite just created (its
        // password not yet set): then this invite is used, which is the true answer.
        if ((await this.deps.invites.findByHash(invite.hash))?.acceptedAt)
          throw apiError('FLOWCARD_ERR_INVITE_USED');
        throw apiError('FLOWCARD_ERR_INVITE_ACCOUNT_EXISTS', { email: invite.email });
      }
    } else {
      if (request.name === undefined) throw fieldProblem('/name', 'must have property "name"');
      name = trimmedName(request.name, '/name');
    }
    const now = this.deps.clock.now();
    if (!(await this.deps.invites.markAccepted(invite.id, account?.id ?? 'new-account', now)))
      throw apiError('FLOWCARD_ERR_INVITE_USED');
    let user: User;
    if (account) {
      user = await this.deps.users.setMembership(account.id, workspace.id, invite.role);
    } else {
      user = await this.deps.users.create({
        email: invite.email,
        name,
        memberships: [{ workspaceId: workspace.id, role: invite.role }],
      });
      await this.deps.people.setPassword(user.id, request.password);
    }
    const started = await this.deps.sessions.start(user.id, workspace.id);
    await this.deps.team.record(
      {
        user: { id: user.id, email: user.email },
        workspace: { id: workspace.id, name: workspace.name },
        role: invite.role,
      },
      'team.invite_accepted',
      { inviteId: invite.id, role: invite.role, newAccount: !account },
    );
    this.deps.logger.info(
      { userId: user.id, workspaceId: workspace.id, inviteId: invite.id, sessionId: started.session.id },
      'invite accepted',
    );
    return { user, workspace, role: invite.role, started };
  }

  statusOf(invite: Invite, now: Date): InviteStatus {
    if (invite.acceptedAt) return 'accepted';
    if (invite.revokedAt) return 'revoked';
    if (now.getTime() >= invite.expiresAt.getTime()) return 'expired';
    return 'pending';
  }

  private async usable(token: string): Promise<{ invite: Invite; workspace: Workspace }> {
    const invite = isInviteToken(token) ? await this.deps.invites.findByHash(hashToken(token)) : null;
    const workspace = invite ? await this.deps.workspaces.findById(invite.workspaceId) : null;
    if (!invite || !workspace) throw apiError('FLOWCARD_ERR_INVITE_NOT_FOUND');
    const status = this.statusOf(invite, this.deps.clock.now());
    if (status === 'accepted') throw apiError('FLOWCARD_ERR_INVITE_USED');
    if (status === 'revoked') throw apiError('FLOWCARD_ERR_INVITE_REVOKED');
    if (status === 'expired')
      throw apiError('FLOWCARD_ERR_INVITE_EXPIRED', {
        expiresAt: invite.expiresAt.toISOString().slice(0, 10),
      });
    return { invite, workspace };
  }

  private async send(principal: Principal, invite: Invite, link: string): Promise<boolean> {
    if (!this.deps.webhook) return false;
    try {
      await this.deps.webhook.deliver({
        workspaceId: invite.workspaceId,
        userId: principal.user.id,
        kind: 'team.invite',
        title: `Invitation to join ${principal.workspace.name} on Flowcard`,
        body: `${principal.user.name ?? principal.user.email} invited ${invite.email} to join ${principal.workspace.name} as ${invite.role}. Open ${link} before ${invite.expiresAt.toISOString()} to accept.`,
        data: { email: invite.email, role: invite.role, link, expiresAt: invite.expiresAt.toISOString() },
      });
      return true;
    } catch (error) {
      // The admin still has the link to copy; the error names no link.
      this.deps.logger.warn(
        { inviteId: invite.id, reason: (error as Error).message },
        'invite not sent through the notifier webhook',
      );
      return false;
    }
  }

  private view(invite: Invite, now: Date): InviteView {
    return {
      id: invite.id,
      email: invite.email,
      role: invite.role,
      createdAt: invite.createdAt.toISOString(),
      expiresAt: invite.expiresAt.toISOString(),
      status: this.statusOf(invite, now),
    };
  }
}
