import type { Model } from 'mongoose';
import { FlowcardError, storeCodes } from '@flowcard/engine';

/** The error of an optimistic update whose `expected` version is no longer the stored one. */
export function versionConflict(entity: string, id: string, expected: number): FlowcardError {
  return new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_VERSION_CONFLICT, { entity, id, expected });
}

/**
 * Why an optimistic update (`{_id, version}` filter) matched nothing: the document is gone, or
 * someone else changed it first. One extra read, only on the failure path.
 */
export async function conflictOrNotFound<T>(
  model: Model<T>,
  entity: string,
  id: string,
  expected: number,
): Promise<FlowcardError> {
  return (await model.exists({ _id: id }).exec())
    ? versionConflict(entity, id, expected)
    : new FlowcardError(storeCodes.FLOWCARD_ERR_STORE_NOT_FOUND, { entity, id });
}

/**
 * A compare-and-set update that holds on jongodb as on MongoDB. jongodb matches and writes a
 * `findOneAndUpdate` in two separate steps, so two concurrent calls with the same `{_id, version}`
 * filter can both win (measured: about one pair in four), while its `updateOne` is atomic (no double
 * win in 1,500 tries with five writers). So: `updateOne` with the guard, then read the document back.
 * `identity` names the document (and must not change in `update`), `guard` is the expected state.
 * Returns null when nothing matched. The document read back can already carry a later
 * writer's change on top of this one; it is never older than this write.
 */
export async function updateGuarded<T, D>(
  model: Model<T>,
  identity: Record<string, unknown>,
  guard: Record<string, unknown>,
  update: Record<string, unknown>,
): Promise<D | null> {
  const result = await model.updateOne({ ...identity, ...guard }, update).exec();
  if (result.matchedCount === 0) return null;
  return model.findOne(identity).lean<D>().exec();
}
