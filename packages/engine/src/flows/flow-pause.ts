import { configurationIdsOf } from './flow-steps';
import type { FlowDocument, FlowPause } from '../ports/flow-repository';

/**
 * The flow's pause while it still holds: some configuration that paused it is still named by the
 * spec. A flow edited to use other configurations (or re-pointed after a reconnect) runs again
 * without anyone having to lift the pause by hand.
 */
export function effectivePause(flow: Pick<FlowDocument, 'paused' | 'spec'>): FlowPause | null {
  const pause = flow.paused;
  if (!pause) return null;
  const used = configurationIdsOf(flow.spec);
  return pause.configurations.some((configuration) => used.has(configuration.id)) ? pause : null;
}
