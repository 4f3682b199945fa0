import type { StepConfiguration, StepConfigurationSource } from '@flowcard/engine';
import type { ConfigurationResolver } from '../configurations/configuration-resolver';

/**
 * The runtime's ConfigurationResolver as the flow engine's configuration source: one cache per
 * process, invalidated over Redis on every change, shared by the API and the step jobs.
 */
export class StepConfigurations implements StepConfigurationSource {
  constructor(private readonly resolver: ConfigurationResolver) {}

  async get(id: string): Promise<StepConfiguration | null> {
    try {
      const cached = await this.resolver.resolve(id);
      if (cached.status !== 'needs_reauth' && cached.status !== 'expired') return cached;
      // A broken copy is read again from the store: a cache that missed the renewal's invalidation
      // message would otherwise park a step that was just resumed. Broken configurations are rare,
      // so this costs nothing on the hot path.
      this.resolver.drop(id);
      return await this.resolver.resolve(id);
    } catch (error) {
      if ((error as { code?: string }).code === 'FLOWCARD_ERR_CONFIGURATION_NOT_FOUND') return null;
      throw error;
    }
  }
}
