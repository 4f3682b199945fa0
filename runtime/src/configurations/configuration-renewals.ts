import type { Logger } from 'pino';

/** Called with the id of a configuration whose credentials work again. */
export type RenewalListener = (configurationId: string) => Promise<void>;

/**
 * "This configuration was re-authorised or its token updated": the configurations area announces
 * it here and the flow engine listens (to resume parked steps and backfill missed leads), so the
 * configurations code does not depend on flows. A failing listener is logged and never fails the
 * API call that renewed the configuration: the parked steps also re-check by themselves.
 */
export class ConfigurationRenewals {
  private readonly listeners = new Set<RenewalListener>();

  constructor(private readonly logger: Logger) {}

  /** Registers a listener; returns the function that removes it (on shutdown). */
  onRenewed(listener: RenewalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async renewed(configurationId: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(configurationId).catch((error: unknown) =>
        this.logger.error({ err: error, configurationId }, 'a configuration renewal listener failed'),
      );
    }
  }
}
