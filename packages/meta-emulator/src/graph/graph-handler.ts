import type { EmulatorCore } from '../emulator-core';
import type { GraphNode, GraphNodeKind } from '../emulator-entities';
import type { GraphCall } from './graph-call';

/**
 * One Graph operation on a node kind. `rest` holds path segments after the edge
 * (e.g. `permissions/{name}`). Returns the JSON body; throws GraphError.
 */
export type GraphHandler<K extends GraphNodeKind = GraphNodeKind> = (
  call: GraphCall,
  node: Extract<GraphNode, { kind: K }>,
  core: EmulatorCore,
  rest: string[],
) => unknown;

/** A handler once its node kind has been checked by the router, which only passes nodes of that kind. */
export type RoutedHandler = (call: GraphCall, node: GraphNode, core: EmulatorCore, rest: string[]) => unknown;

/** Typed helper: each entry is checked against its node kind; the key is `${kind} ${edge} ${method}` (edge '' = the node). */
export function route<K extends GraphNodeKind>(
  kind: K,
  edge: string,
  method: 'GET' | 'POST' | 'DELETE',
  handler: GraphHandler<K>,
): [string, RoutedHandler] {
  return [`${kind} ${edge} ${method}`, handler as unknown as RoutedHandler];
}
