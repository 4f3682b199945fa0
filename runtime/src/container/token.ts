/**
 * A container key that carries the type of what it is bound to, so route modules and services can
 * declare dependencies as `{ registry: EngineTokens.registry }` and receive typed values. At run time
 * it is a plain symbol: inversify sees nothing special.
 */
export type Token<T> = symbol & { readonly __type?: T };

export function token<T>(description: string): Token<T> {
  return Symbol.for(`flowcard.${description}`) as Token<T>;
}

/** A map of dependency names to tokens, and the values they resolve to. */
export type TokenMap = Readonly<Record<string, Token<unknown>>>;
export type Resolved<D extends TokenMap> = {
  readonly [K in keyof D]: D[K] extends Token<infer T> ? T : never;
};
