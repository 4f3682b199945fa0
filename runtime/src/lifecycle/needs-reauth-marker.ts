import type { Clock, ConfigurationRepository } from '@flowcard/engine';
import type { ConfigurationResolver } from '../configurations/configuration-resolver';
import type { ConfigurationService } from '../configurations/configuration-service';
import type { ConcernedNotifier } from '../notifications/concerned-notifier';

const ATTEMPTS = 3;

/**
 * What the flow engine calls when the service says the credentials are dead (Graph 190, the `auth`
 * flow signal): the configuration becomes `needs_reauth`, every process drops its cached copy, the
 * people concerned (owner, flow owners, admins of a shared one) are notified once, and the audit trail says why. Re-authorising (Connect Meta, or rotating
 * the token) sets it back to `active`.
 */
export class NeedsReauthMarker {
  constructor(
    private readonly configurations: ConfigurationRepository,
    private readonly configurationService: ConfigurationService,
    private readonly resolver: ConfigurationResolver,
    private readonly notifier: ConcernedNotifier,
    private readonly clock: Clock,
  ) {}

  /**
   * Marks the configuration; `reason` is shown to its owner (e.g. "Graph error 190/460: password
   * changed") and must not hold a token. Returns false when it was already marked, revoked or gone,
   * so many failing steps produce one notification.
   */
  async markNeedsReauth(configurationId: string, reason: string): Promise<boolean> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const configuration = await this.configurations.findById(configurationId);
      if (!configuration || configuration.status === 'needs_reauth' || configuration.status === 'revoked')
        return false;
      try {
        const updated = await this.configurations.update(configuration.id, configuration.version, {
          status: 'needs_reauth',
        });
        await this.resolver.invalidate(updated.id);
        await this.configurationService.record('system', updated, 'configuration.needs_reauth', {
          reason,
          from: configuration.status,
        });
        const said = reason.trim().replace(/[.\s]+$/, '');
        await this.notifier.notifyConcerned(updated, {
          kind: 'configuration.needs_reauth',
          title: `${updated.nickname}: reconnect needed`,
          body: `"${updated.nickname}" (${updated.connector}) stopped working: ${said}. Flows using it wait until it is reconnected.`,
          configurationId: updated.id,
          data: { reason: said, at: this.clock.now().toISOString() },
          dedupeKey: `configuration.needs_reauth:${updated.id}:${updated.version}`,
        });
        return true;
      } catch (error) {
        // Someone changed it meanwhile: read it again and decide again.
        if ((error as { code?: string }).code !== 'FLOWCARD_ERR_STORE_VERSION_CONFLICT') throw error;
      }
    }
    return false;
  }
}
