import type { FastifyInstance } from 'fastify';
import type { Resolved, TokenMap } from '../container/token';

/**
 * A group of routes under one prefix. Dependencies are declared as tokens and handed in as plain
 * values, so a route module never sees the container (docs/conventions.md #8). `optional` dependencies are
 * absent when their package has not bound them; the module decides what to answer then.
 */
export interface RouteModule<D extends TokenMap = TokenMap, O extends TokenMap = TokenMap> {
  /** Also the OpenAPI tag of its routes. */
  readonly name: string;
  readonly description: string;
  /** URL prefix, e.g. /v1/catalog. */
  readonly prefix: string;
  readonly dependencies: D;
  readonly optional?: O;
  register(app: FastifyInstance, dependencies: Resolved<D> & Partial<Resolved<O>>): void | Promise<void>;
}

/** Identity function that lets TypeScript infer D and O from the literal. */
export function defineRouteModule<D extends TokenMap, O extends TokenMap = Record<never, never>>(
  module: RouteModule<D, O>,
): RouteModule<D, O> {
  return module;
}
