import { Container, type ContainerModule } from 'inversify';
import type { Resolved, Token, TokenMap } from './token';

/**
 * The composition root: the only place in Flowcard where an inversify Container is built
 * (docs/conventions.md #8). Every binding is a singleton; packages contribute one ContainerModule each.
 */
export function buildContainer(modules: readonly ContainerModule[]): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.loadSync(...modules);
  return container;
}

/**
 * Resolves a dependency map for a route module or a service. Tokens that are not bound (a package
 * that has not landed, or is switched off) resolve to undefined only when listed as optional.
 */
export function resolveDependencies<D extends TokenMap, O extends TokenMap>(
  container: Container,
  required: D,
  optional?: O,
): Resolved<D> & Partial<Resolved<O>> {
  const out: Record<string, unknown> = {};
  for (const [name, id] of Object.entries(required)) out[name] = container.get(id);
  for (const [name, id] of Object.entries(optional ?? {})) {
    if (container.isBound(id)) out[name] = container.get(id);
  }
  return out as Resolved<D> & Partial<Resolved<O>>;
}

/** A typed lookup of one token, or undefined when nothing is bound to it. */
export function getIfBound<T>(container: Container, id: Token<T>): T | undefined {
  return container.isBound(id) ? container.get<T>(id) : undefined;
}

/** A typed lookup of one token that must be bound. */
export function getBound<T>(container: Container, id: Token<T>): T {
  return container.get<T>(id);
}
