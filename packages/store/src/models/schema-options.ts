/**
 * Options every Flowcard schema uses (docs/architecture.md §8): no implicit collection or index creation (the
 * store's ensureIndexes() does it explicitly), no mongoose `__v` (repositories keep their own
 * `version`), and empty objects kept so `values: {}` round-trips.
 */
export const schemaOptions = {
  versionKey: false,
  autoCreate: false,
  autoIndex: false,
  minimize: false,
  strict: true,
  id: false,
} as const;
