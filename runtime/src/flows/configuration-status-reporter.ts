import type { ConfigurationStatusPort } from '@flowcard/engine';
import type { Logger } from 'pino';
import type { NeedsReauthMarker } from '../lifecycle/needs-reauth-marker';
import type { Notifier } from '../notifications/notifier';

type NeedsReauthEvent = Parameters<ConfigurationStatusPort['needsReauth']>[0];
type PermissionEvent = Parameters<NonNullable<ConfigurationStatusPort['permissionMissing']>>[0];

/**
 * What the flow engine reports about configurations, turned into the configurations area's actions:
 * `needs_reauth` through the marker (status, cache invalidation, audit, one notification), and a
 * notification to the owner when a permission is missing. Messages come from the engine's
 * classification, which has already scrubbed tokens from them.
 */
export class ConfigurationStatusReporter implements ConfigurationStatusPort {
  constructor(
    private readonly marker: NeedsReauthMarker,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
  ) {}

  async needsReauth(event: NeedsReauthEvent): Promise<void> {
    const marked = await this.marker.markNeedsReauth(
      event.configurationId,
      `${event.code}: ${event.message}`,
    );
    this.logger.warn(
      {
        configurationId: event.configurationId,
        runId: event.runId,
        flowId: event.flowId,
        code: event.code,
        marked,
      },
      'configuration needs re-authorisation; its runs wait',
    );
  }

  async permissionMissing(event: PermissionEvent): Promise<void> {
    await this.notifier.notify({
      workspaceId: event.workspaceId,
      userId: event.ownerId,
      kind: 'configuration.permission_missing',
      title: `Permission missing${event.permission ? `: ${event.permission}` : ''}`,
      body: `A flow step failed because the configuration lacks a permission: ${event.message}`,
      configurationId: event.configurationId,
      data: { runId: event.runId, flowId: event.flowId, permission: event.permission },
    });
  }
}
