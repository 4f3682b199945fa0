import type { ConfigurationStatus } from '../ports/configuration-repository';
import type { ResolvedConfiguration } from '../executor/execute-card.types';

/** A configuration as a step needs it: decrypted for the executor, plus who to tell when it breaks. */
export interface StepConfiguration extends ResolvedConfiguration {
  readonly id: string;
  readonly workspaceId: string;
  readonly ownerId: string;
  readonly connector: string;
  readonly status: ConfigurationStatus;
  /**
   * The Meta app whose app-wide budget this configuration's calls spend, when the configuration
   * records it (Connect Meta keeps it beside the page, not in `values`): every configuration of one
   * app then shares one app budget, so an app-wide limit (Graph code 4) is hit once, not per Page.
   */
  readonly metaAppId?: string;
}

/** Where step jobs read configurations from: a cache in front of the store (see ConfigurationCache). */
export interface StepConfigurationSource {
  /** Null when the configuration no longer exists. */
  get(id: string): Promise<StepConfiguration | null>;
}

/** What the runner reports about configurations; the runtime flags them in the store and notifies owners. */
export interface ConfigurationStatusPort {
  /**
   * A call was refused with an auth signal (Graph 190): flag the configuration `needs_reauth` and
   * notify its owner. Called once per breakage (the first parked step), not once per step.
   */
  needsReauth(event: {
    configurationId: string;
    ownerId: string;
    workspaceId: string;
    runId: string;
    flowId: string;
    code: string;
    message: string;
  }): Promise<void>;
  /** A call was refused for a missing permission: flag the configuration so the owner can grant it. */
  permissionMissing?(event: {
    configurationId: string;
    ownerId: string;
    workspaceId: string;
    runId: string;
    flowId: string;
    permission: string | null;
    message: string;
  }): Promise<void>;
}
