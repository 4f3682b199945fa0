import { token } from '../container/token';
import type { BlockedRuns } from './blocked-runs';
import type { ConnectionRemovals } from './connection-removals';

/** Bindings of connections that never fail silently: removal impact and pauses, blocked runs. */
export const ConnectionTokens = {
  removals: token<ConnectionRemovals>('connections.removals'),
  /** The webhook router's blocked-item sink, and the replay of blocked runs. */
  blockedRuns: token<BlockedRuns>('connections.blockedRuns'),
} as const;
