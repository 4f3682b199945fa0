import { Types } from 'mongoose';

/**
 * A new document id: an ObjectId as a hex string. Ids made in one process sort in creation order,
 * which audit listing relies on to order events within one millisecond.
 */
export function newId(): string {
  return new Types.ObjectId().toHexString();
}
