import type { SecretSealer, WorkspaceRepository } from '@flowcard/engine';
import type { MetaAppConfig } from '../config/runtime-config';

/** The Meta app a workspace connects with, and where Meta is. */
export interface MetaApp {
  readonly appId: string;
  readonly appSecret: string;
  /** `shared`: the deployment's app (environment, or the emulator in embedded mode); `workspace`: the workspace's own. */
  readonly source: 'shared' | 'workspace';
  readonly graphUrl: string;
  readonly dialogUrl: string;
  readonly graphVersion: string;
}

/**
 * Decides which Meta app a workspace uses: its own when an admin set one, else the deployment's
 * shared app. Hosts and the Graph version are the deployment's either way (one Meta per deployment).
 */
export class MetaAppResolver {
  constructor(
    private readonly shared: MetaAppConfig,
    private readonly workspaces: WorkspaceRepository,
    private readonly sealer: SecretSealer,
  ) {}

  async appFor(workspaceId: string): Promise<MetaApp> {
    const workspace = await this.workspaces.findById(workspaceId);
    const where = {
      graphUrl: this.shared.graphUrl,
      dialogUrl: this.shared.dialogUrl,
      graphVersion: this.shared.graphVersion,
    };
    if (workspace?.metaApp) {
      const { appSecret } = this.sealer.open(workspace.metaApp.appSecret);
      if (appSecret) return { appId: workspace.metaApp.appId, appSecret, source: 'workspace', ...where };
    }
    return { appId: this.shared.appId, appSecret: this.shared.appSecret, source: 'shared', ...where };
  }

  /**
   * The secret of app `appId` as this workspace knows it: its own app's, or the shared app's; undefined
   * for any other app (e.g. one the workspace used before switching). Used for appsecret_proof, which
   * must be made with the secret of the app that issued the token.
   */
  async secretOf(workspaceId: string, appId: string): Promise<string | undefined> {
    const workspace = await this.workspaces.findById(workspaceId);
    if (workspace?.metaApp?.appId === appId) {
      const { appSecret } = this.sealer.open(workspace.metaApp.appSecret);
      if (appSecret) return appSecret;
    }
    return this.shared.appId === appId ? this.shared.appSecret : undefined;
  }
}
