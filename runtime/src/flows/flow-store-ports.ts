import type { FlowcardStore, FlowRepository, RunRepository, TriggerStateRepository } from '@flowcard/engine';

/** The storage ports the flow engine needs, taken from the deployment's store. */
export interface FlowStorePorts {
  readonly flows: FlowRepository;
  readonly runs: RunRepository;
  readonly triggerState: TriggerStateRepository;
}

export function flowStorePorts(store: FlowcardStore): FlowStorePorts {
  return { flows: store.flows, runs: store.runs, triggerState: store.triggerState };
}
