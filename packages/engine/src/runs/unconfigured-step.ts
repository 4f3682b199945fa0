import type { LoadedCard } from '../registry/loaded-connector';
import type { LiveRun } from './run-state-store';
import type { StepConfiguration } from './step-configuration-source';

/**
 * The configuration of a step that names none (validation allows that only for cards whose kind
 * sends no credentials and has no required field, e.g. core/filter or core/http-request without
 * credentials): empty values and secrets, never parked (id '' has no "needs re-auth" flag).
 */
export function unconfiguredStep(run: LiveRun, card: LoadedCard): StepConfiguration {
  return {
    id: '',
    workspaceId: run.workspaceId,
    ownerId: run.ownerId,
    connector: card.connector.manifest.name,
    status: 'active',
    values: {},
    secrets: {},
  };
}
