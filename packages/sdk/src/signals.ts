/**
 * What a failure means for a flow, decided in one place (the engine's classifier):
 * - retry: try again with exponential backoff (network, 5xx, Graph 1/2, is_transient)
 * - rate_limited: wait until access is regained, then try again
 * - auth: the credentials are dead; park the run until the configuration is re-authorised
 * - permission: a permission is missing; fail and flag the configuration
 * - invalid: the request itself is wrong; fail at once
 */
export type FlowSignal = 'retry' | 'rate_limited' | 'auth' | 'permission' | 'invalid';

export const FLOW_SIGNALS: readonly FlowSignal[] = ['retry', 'rate_limited', 'auth', 'permission', 'invalid'];
