import {
  hashToken,
  type Clock,
  type Session,
  type SessionRepository,
  type UserRepository,
  type WorkspaceRepository,
} from '@flowcard/engine';
import { randomBytes } from 'node:crypto';
import type { SessionsConfig } from '../config/runtime-config';
import type { Principal } from '../http/auth/principal';
import type { LastSeenRecorder } from './last-seen-recorder';
import { csrfTokenOf, generateSessionToken, isSessionToken } from './session-token';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
/** lastSeenAt of a session is moved at most this often: the idle expiry is exact to about a minute. */
export const SESSION_TOUCH_EVERY_MS = 60_000;

export interface StartedSession {
  /** The cookie value: shown to the browser only, never stored (its SHA-256 is). */
  readonly token: string;
  readonly csrfToken: string;
  readonly session: Session;
}

export interface AuthenticatedSession {
  readonly principal: Principal;
  readonly csrfToken: string;
}

/**
 * Browser sessions of the Studio: start (after setup, sign-in or invite acceptance), authenticate a
 * cookie, end. A session expires when idle for `idleHours` (sliding) or `maxDays` after it started,
 * whichever comes first; an expired session is deleted when it is next presented (and by the
 * housekeeping sweep). The role is read from the user's membership on every request, so a demotion
 * or removal takes effect at once.
 */
export class SessionService {
  readonly idleMs: number;
  readonly maxMs: number;

  constructor(
    private readonly deps: {
      readonly sessions: SessionRepository;
      readonly users: UserRepository;
      readonly workspaces: WorkspaceRepository;
      readonly clock: Clock;
      readonly lastSeen: LastSeenRecorder;
    },
    config: SessionsConfig,
  ) {
    this.idleMs = config.idleHours * HOUR;
    this.maxMs = config.maxDays * DAY;
  }

  async start(userId: string, workspaceId: string): Promise<StartedSession> {
    const token = generateSessionToken();
    const now = this.deps.clock.now();
    const session = await this.deps.sessions.create({
      hash: hashToken(token),
      id: randomBytes(8).toString('hex'),
      userId,
      workspaceId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.maxMs),
    });
    await this.deps.lastSeen.seen(userId);
    return { token, csrfToken: csrfTokenOf(token), session };
  }

  /** The principal of a live session, or undefined (unknown, expired, or its membership is gone). */
  async authenticate(token: string): Promise<AuthenticatedSession | undefined> {
    if (!isSessionToken(token)) return undefined;
    const hash = hashToken(token);
    const session = await this.deps.sessions.findByHash(hash);
    if (!session) return undefined;
    const now = this.deps.clock.now();
    if (this.expired(session, now)) {
      await this.deps.sessions.delete(hash);
      return undefined;
    }
    const user = await this.deps.users.findById(session.userId);
    const role = user?.memberships.find((m) => m.workspaceId === session.workspaceId)?.role;
    const workspace = role ? await this.deps.workspaces.findById(session.workspaceId) : null;
    if (!user || !role || !workspace) {
      await this.deps.sessions.delete(hash);
      return undefined;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_EVERY_MS)
      await this.deps.sessions.touch(hash, now);
    await this.deps.lastSeen.seen(user.id);
    return {
      principal: {
        user: { id: user.id, email: user.email, name: user.name || undefined },
        workspace: { id: workspace.id, name: workspace.name },
        role,
        sessionId: session.id,
      },
      csrfToken: csrfTokenOf(token),
    };
  }

  /** Signs the browser out: the session is deleted, so the cookie is worthless even if kept. */
  async end(token: string): Promise<void> {
    if (isSessionToken(token)) await this.deps.sessions.delete(hashToken(token));
  }

  /** Ends every session of a user in a workspace (removal from the team). */
  endAllOf(userId: string, workspaceId: string): Promise<number> {
    return this.deps.sessions.deleteByUser(userId, workspaceId);
  }

  /** Housekeeping: deletes sessions past either expiry. */
  deleteExpired(): Promise<number> {
    const now = this.deps.clock.now();
    return this.deps.sessions.deleteExpired(now, new Date(now.getTime() - this.idleMs));
  }

  private expired(session: Session, now: Date): boolean {
    return (
      now.getTime() >= session.expiresAt.getTime() ||
      now.getTime() - session.lastSeenAt.getTime() >= this.idleMs
    );
  }
}
