import type { RuntimeRole } from '../config/runtime-config';
import type { Resolved, TokenMap } from '../container/token';

/** Something a worker or scheduler process runs in the background: started once, stopped on shutdown. */
export interface RunningService {
  start(): Promise<void>;
  /** Must finish in-flight work or hand it back (BullMQ: close the worker) and release connections. */
  stop(): Promise<void>;
}

/**
 * A background service and the roles that run it. Like route modules, services declare the tokens
 * they need and are created from plain values; the runtime starts the services of its roles in list
 * order and stops them in reverse.
 */
export interface ServiceDefinition<D extends TokenMap = TokenMap, O extends TokenMap = TokenMap> {
  readonly name: string;
  readonly roles: readonly RuntimeRole[];
  readonly dependencies: D;
  readonly optional?: O;
  create(dependencies: Resolved<D> & Partial<Resolved<O>>): RunningService;
}

/** Identity function that lets TypeScript infer D and O from the literal. */
export function defineService<D extends TokenMap, O extends TokenMap = Record<never, never>>(
  definition: ServiceDefinition<D, O>,
): ServiceDefinition<D, O> {
  return definition;
}
