import {
  apiKeyId,
  hashToken,
  type Clock,
  type UserRepository,
  type WorkspaceRepository,
} from '@flowcard/engine';
import type { LastSeenRecorder } from '../../people/last-seen-recorder';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import type { Principal } from './principal';

/** How often a key's lastUsedAt is written: a write per request would sit on the hot path (docs/architecture.md §8). */
const TOUCH_EVERY_MS = 5 * 60_000;

/**
 * Resolves API keys through the store: the presented key is hashed (SHA-256) and looked up by hash;
 * a revoked key, a key whose user left the workspace, or a malformed key is refused. Nothing is
 * cached, so revocation takes effect on the next request.
 */
export class StoreApiKeyAuthenticator implements ApiKeyAuthenticator {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly users: UserRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly clock: Clock,
    /** Keeps the members list's "last seen" current for people who work through API keys too. */
    private readonly lastSeen?: LastSeenRecorder,
  ) {}

  async authenticate(apiKey: string): Promise<Principal | undefined> {
    // A malformed key costs no database round trip.
    if (!apiKeyId(apiKey)) return undefined;
    const identity = await this.users.findByApiKeyHash(hashToken(apiKey));
    if (!identity || !identity.role || identity.apiKey.revokedAt) return undefined;
    const workspace = await this.workspaces.findById(identity.apiKey.workspaceId);
    if (!workspace) return undefined;
    this.touch(identity.apiKey.id);
    void this.lastSeen?.seen(identity.user.id);
    return {
      user: { id: identity.user.id, email: identity.user.email, name: identity.user.name || undefined },
      workspace: { id: workspace.id, name: workspace.name },
      role: identity.role,
      apiKeyId: identity.apiKey.id,
    };
  }

  private touch(id: string): void {
    const now = this.clock.now();
    const last = this.touched.get(id) ?? 0;
    if (now.getTime() - last < TOUCH_EVERY_MS) return;
    this.touched.set(id, now.getTime());
    // Fire and forget: recording use must never fail or slow down the request.
    this.users.touchApiKey(id, now).catch(() => undefined);
  }
}
