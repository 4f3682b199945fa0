import type { Clock, User, UserRepository, Workspace, WorkspaceRepository } from '@flowcard/engine';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkspaceRole } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import { normalisedEmail, trimmedName } from './field-problem';
import { hashPassword, verifyAgainstNobody, verifyPassword } from './password-hasher';
import type { SessionService, StartedSession } from './session-service';

export interface SignedIn {
  readonly user: User;
  readonly workspace: Workspace;
  readonly role: WorkspaceRole;
  readonly started: StartedSession;
}

export interface SetupRequest {
  readonly workspaceName: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

export interface SignInRequest {
  readonly email: string;
  readonly password: string;
}

/**
 * First-run setup and email + password sign-in. Passwords are hashed with scrypt
 * (password-hasher.ts) and never logged or returned; a wrong password and an unknown email get the
 * same answer and take the same time.
 */
export class PeopleService {
  constructor(
    private readonly deps: {
      readonly users: UserRepository;
      readonly workspaces: WorkspaceRepository;
      readonly sessions: SessionService;
      readonly redis: Redis;
      readonly redisPrefix: string;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  async setupNeeded(): Promise<boolean> {
    return !(await this.deps.users.hasAny());
  }

  /**
   * Creates the first workspace and its owner, and signs them in. Only while no user exists; the
   * same Redis lock as POST /v1/admin/bootstrap, so two first runs (or a setup and a bootstrap)
   * cannot both win.
   */
  async setup(request: SetupRequest): Promise<SignedIn> {
    const workspaceName = trimmedName(request.workspaceName, '/workspaceName');
    const name = trimmedName(request.name, '/name');
    const email = normalisedEmail(request.email);
    const lock = `${this.deps.redisPrefix}:bootstrap-lock`;
    if ((await this.deps.redis.set(lock, '1', 'PX', 30_000, 'NX')) !== 'OK')
      throw apiError('FLOWCARD_ERR_SETUP_DONE');
    try {
      if (await this.deps.users.hasAny()) throw apiError('FLOWCARD_ERR_SETUP_DONE');
      const passwordHash = await hashPassword(request.password);
      const workspace = await this.deps.workspaces.create({ name: workspaceName });
      const user = await this.deps.users.create({
        email,
        name,
        memberships: [{ workspaceId: workspace.id, role: 'owner' }],
      });
      await this.deps.users.setPasswordHash(user.id, passwordHash);
      const started = await this.deps.sessions.start(user.id, workspace.id);
      this.deps.logger.info(
        { userId: user.id, workspaceId: workspace.id, sessionId: started.session.id },
        'first-run setup: workspace and owner created',
      );
      return { user, workspace, role: 'owner', started };
    } finally {
      await this.deps.redis.del(lock);
    }
  }

  /**
   * Checks the password and starts a session in the user's first workspace (the one they joined
   * first). Rate limits are the route's job (they need the client's address).
   */
  async signIn(request: SignInRequest): Promise<SignedIn> {
    const user = await this.deps.users.findByEmail(normalisedEmail(request.email));
    const passwordHash = user ? await this.deps.users.findPasswordHash(user.id) : null;
    const matches =
      user && passwordHash
        ? await verifyPassword(request.password, passwordHash)
        : await verifyAgainstNobody(request.password);
    if (!user || !matches) {
      this.deps.logger.info({ userId: user?.id }, 'sign-in refused: wrong email or password');
      throw apiError('FLOWCARD_ERR_SIGN_IN_FAILED');
    }
    const membership = user.memberships[0];
    const workspace = membership ? await this.deps.workspaces.findById(membership.workspaceId) : null;
    if (!membership || !workspace) throw apiError('FLOWCARD_ERR_SIGN_IN_NO_WORKSPACE');
    const started = await this.deps.sessions.start(user.id, workspace.id);
    this.deps.logger.info(
      { userId: user.id, workspaceId: workspace.id, sessionId: started.session.id },
      'signed in',
    );
    return { user, workspace, role: membership.role, started };
  }

  /** Sets a user's password (invite acceptance, and later a "change password" page). */
  async setPassword(userId: string, password: string): Promise<void> {
    await this.deps.users.setPasswordHash(userId, await hashPassword(password));
  }

  /** True when the user has a password and `password` is it. */
  async passwordMatches(userId: string, password: string): Promise<boolean> {
    const passwordHash = await this.deps.users.findPasswordHash(userId);
    return passwordHash ? verifyPassword(password, passwordHash) : verifyAgainstNobody(password);
  }
}
