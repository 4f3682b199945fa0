/** Whether a write failed on a unique index (MongoDB error 11000, also what jongodb reports). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
