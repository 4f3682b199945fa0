/** Tokens the store's ContainerModule needs bound by the composition root. */
export const StoreTokens = {
  /** The mongoose Connection the store uses (the runtime opens it: URI, embedded jongodb…). */
  Connection: Symbol.for('flowcard.store.Connection'),
} as const;
