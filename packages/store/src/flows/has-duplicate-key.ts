import { isDuplicateKeyError } from '../duplicate-key';

/**
 * Whether a write (single or bulk) was refused by a unique index. MongoDB reports a bulk failure's
 * cause in `writeErrors`; jongodb reports it as the error's own code with no `writeErrors`.
 */
export function hasDuplicateKey(error: unknown): boolean {
  if (isDuplicateKeyError(error)) return true;
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const list: unknown[] = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.some((writeError) => isDuplicateKeyError(writeError));
}
