import type { Configuration, ConnectorRegistry } from '@flowcard/engine';
import type { MetaAppResolver } from '../meta-app/meta-app-resolver';
import { isMetaOAuthKind } from './configuration-kind';

/** What the supplier reads of a configuration: its kind and which Meta app issued its token. */
export type MetaAppSecretSubject = Pick<Configuration, 'workspaceId' | 'connector' | 'kind' | 'externalIds'>;

/**
 * Gives Meta OAuth configurations (Connect Meta) the app secret their calls prove themselves with:
 * when the kind declares `appsecretProof.secretField` and the configuration has no such secret of
 * its own, the secret of the app that issued its token (`externalIds.metaAppId`) is added, from the
 * workspace's own app or the deployment's shared one. The issuing app, not the workspace's current
 * choice, because a proof made with another app's secret is refused. Nothing is stored: the secret
 * is added on the way to the executor, which scrubs it from errors like any other credential.
 */
export class MetaAppSecretSupplier {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly metaApps: MetaAppResolver,
  ) {}

  async supply(
    configuration: MetaAppSecretSubject,
    secrets: Readonly<Record<string, string>>,
  ): Promise<Readonly<Record<string, string>>> {
    const spec = this.registry.get(configuration.connector)?.manifest.configurations[configuration.kind];
    if (!spec || !isMetaOAuthKind(spec) || spec.auth.kind !== 'oauth2') return secrets;
    const field = spec.auth.appsecretProof?.secretField;
    const appId = configuration.externalIds?.metaAppId;
    if (!field || secrets[field] || !appId) return secrets;
    const appSecret = await this.metaApps.secretOf(configuration.workspaceId, appId);
    return appSecret ? { ...secrets, [field]: appSecret } : secrets;
  }
}
