import { token } from '../container/token';
import type { ConnectMetaService } from '../connect-meta/connect-meta-service';
import type { MetaGrantRevoker } from '../connect-meta/meta-grant-revoker';
import type { NeedsReauthMarker } from '../lifecycle/needs-reauth-marker';
import type { SubscriptionHealth } from '../lifecycle/subscription-health';
import type { TokenLifecycleSweep } from '../lifecycle/token-lifecycle-sweep';
import type { MetaAppResolver } from '../meta-app/meta-app-resolver';
import type { MetaAppSettings } from '../meta-app/meta-app-settings';
import type { ConcernedNotifier } from '../notifications/concerned-notifier';
import type { Notifier } from '../notifications/notifier';
import type { ConfigurationRenewals } from './configuration-renewals';
import type { ConfigurationResolver } from './configuration-resolver';
import type { ConfigurationService } from './configuration-service';
import type { MetaAppSecretSupplier } from './meta-app-secret-supplier';
import type { ShiftableClock } from './shiftable-clock';

/**
 * Bindings of saved configurations and everything around them (Connect Meta, Meta app settings,
 * token lifecycle, notifications). The flow engine injects `resolver` and `needsReauth`.
 */
export const ConfigurationTokens = {
  /** The clock of this area; tests move it (OAuth state expiry, reminders). */
  clock: token<ShiftableClock>('configurations.clock'),
  service: token<ConfigurationService>('configurations.service'),
  /** `resolve(id, user)` → credentials for the next card run (cached, invalidated on change). */
  resolver: token<ConfigurationResolver>('configurations.resolver'),
  metaApps: token<MetaAppResolver>('metaApp.resolver'),
  /** Adds the issuing Meta app's secret to Meta OAuth configurations (appsecret_proof). */
  metaAppSecrets: token<MetaAppSecretSupplier>('metaApp.secretSupplier'),
  metaAppSettings: token<MetaAppSettings>('metaApp.settings'),
  metaGrantRevoker: token<MetaGrantRevoker>('connectMeta.grantRevoker'),
  connectMeta: token<ConnectMetaService>('connectMeta.service'),
  notifier: token<Notifier>('notifications.notifier'),
  /** Tells everyone a configuration event concerns, once per event and threshold. */
  concernedNotifier: token<ConcernedNotifier>('notifications.concerned'),
  /** `markNeedsReauth(configurationId, reason)`: what the flow engine calls on a Graph 190. */
  needsReauth: token<NeedsReauthMarker>('lifecycle.needsReauth'),
  lifecycleSweep: token<TokenLifecycleSweep>('lifecycle.sweep'),
  /** Checks (and repairs) the Meta webhook subscription of every Page a flow listens on. */
  subscriptionHealth: token<SubscriptionHealth>('lifecycle.subscriptionHealth'),
  /** Announces re-authorised / token-updated configurations (the flow engine resumes parked steps). */
  renewals: token<ConfigurationRenewals>('configurations.renewals'),
} as const;
