import type { AuditRepository, Clock, SecretSealer, WorkspaceRepository } from '@flowcard/engine';
import { MetaGraphClient } from '../connect-meta/meta-graph-client';
import { MetaGraphError } from '../connect-meta/meta-graph-error';
import type { Principal } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { MetaAppResolver } from './meta-app-resolver';

/** The workspace's Meta app as the API shows it: the secret only as `{ set }`. */
export interface MetaAppView {
  readonly source: 'shared' | 'workspace';
  readonly appId: string;
  readonly appSecret: { readonly set: boolean };
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/**
 * Workspace admins choose the Meta app Connect Meta and token exchanges use: the deployment's shared
 * app, or the workspace's own (id + secret; the secret sealed like any configuration secret). A new
 * app is checked with Meta first (an app token is requested), so a typo is caught here, not in the
 * middle of someone's connection.
 */
export class MetaAppSettings {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly resolver: MetaAppResolver,
    private readonly sealer: SecretSealer,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async get(principal: Principal): Promise<MetaAppView> {
    const workspace = await this.workspaces.findById(principal.workspace.id);
    const app = await this.resolver.appFor(principal.workspace.id);
    const own = workspace?.metaApp ?? null;
    return {
      source: app.source,
      appId: app.appId,
      appSecret: { set: true },
      updatedAt: own ? own.updatedAt.toISOString() : null,
      updatedBy: own ? own.updatedBy : null,
    };
  }

  async useWorkspaceApp(principal: Principal, appId: string, appSecret: string): Promise<MetaAppView> {
    const shared = await this.resolver.appFor(principal.workspace.id);
    try {
      await new MetaGraphClient({ ...shared, appId, appSecret, source: 'workspace' }).verifyAppCredentials();
    } catch (error) {
      if (error instanceof MetaGraphError && error.kind === 'refused')
        throw apiError('FLOWCARD_ERR_META_APP_REJECTED', { appId, code: error.code ?? 'unknown' });
      if (error instanceof MetaGraphError) throw apiError('FLOWCARD_ERR_META_UNAVAILABLE');
      throw error;
    }
    const now = this.clock.now();
    await this.workspaces.setMetaApp(principal.workspace.id, {
      appId,
      appSecret: this.sealer.seal({ appSecret }),
      updatedAt: now,
      updatedBy: principal.user.id,
    });
    await this.audit.append({
      workspaceId: principal.workspace.id,
      actorId: principal.user.id,
      action: 'workspace.meta_app.set',
      details: { appId },
      at: now,
    });
    return this.get(principal);
  }

  async useSharedApp(principal: Principal): Promise<MetaAppView> {
    await this.workspaces.setMetaApp(principal.workspace.id, null);
    await this.audit.append({
      workspaceId: principal.workspace.id,
      actorId: principal.user.id,
      action: 'workspace.meta_app.shared',
      details: {},
      at: this.clock.now(),
    });
    return this.get(principal);
  }
}
