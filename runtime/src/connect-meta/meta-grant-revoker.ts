import type { Configuration, ConfigurationRepository, SecretSealer } from '@flowcard/engine';
import { apiError } from '../http/errors/api-error';
import type { MetaAppResolver } from '../meta-app/meta-app-resolver';
import { MetaGraphClient } from './meta-graph-client';
import { MetaGraphError } from './meta-graph-error';

/** externalIds keys Connect Meta writes on each configuration it stores. */
export const META_USER_ID = 'metaUserId';
export const META_PAGE_ID = 'metaPageId';
export const META_APP_ID = 'metaAppId';

/**
 * Revokes a Meta grant (`DELETE /me/permissions`) when it is no longer used. A grant belongs to one
 * Facebook user and one app, and every Page configuration stored from it shares it: revoking while
 * another configuration (in any workspace) still uses it would kill that one's tokens too.
 */
export class MetaGrantRevoker {
  constructor(
    private readonly configurations: ConfigurationRepository,
    private readonly sealer: SecretSealer,
    private readonly metaApps: MetaAppResolver,
  ) {}

  /** Revokes at Meta when `configuration` is the last one of its grant; true when Meta revoked it. */
  async revokeIfLastOfGrant(configuration: Configuration): Promise<boolean> {
    const metaUserId = configuration.externalIds[META_USER_ID];
    if (!metaUserId) return false;
    const sameGrant = await this.configurations.findByExternalId({ key: META_USER_ID, value: metaUserId });
    const others = sameGrant.filter(
      (other) =>
        other.id !== configuration.id &&
        other.externalIds[META_APP_ID] === configuration.externalIds[META_APP_ID],
    );
    if (others.length > 0) return false;
    return this.revoke(configuration);
  }

  /**
   * Revokes the grant behind `configuration` at Meta. A token Meta already considers dead (190) is
   * as good as revoked. Meta unreachable → FLOWCARD_ERR_META_UNAVAILABLE, so the caller keeps its
   * rows and the user can try again.
   */
  async revoke(configuration: Configuration): Promise<boolean> {
    const userToken = configuration.secrets
      ? this.sealer.open(configuration.secrets).userAccessToken
      : undefined;
    if (!userToken) return false;
    const app = await this.metaApps.appFor(configuration.workspaceId);
    try {
      await new MetaGraphClient(app).revokeGrant(userToken);
      return true;
    } catch (error) {
      if (error instanceof MetaGraphError && error.kind === 'unavailable')
        throw apiError('FLOWCARD_ERR_META_UNAVAILABLE');
      if (error instanceof MetaGraphError && error.code === 190) return false;
      throw error;
    }
  }
}
