import { apiError } from '../http/errors/api-error';

/**
 * A 400 FLOWCARD_ERR_REQUEST_INVALID naming the field, in the same shape as the schema validation
 * errors (`details: [{ where, path, message }]`), for checks a JSON Schema cannot express (a name
 * that is only spaces).
 */
export function fieldProblem(path: string, message: string, where = 'body'): Error {
  return apiError('FLOWCARD_ERR_REQUEST_INVALID', { summary: `${where}${path} ${message}` }, [
    { where, path, message },
  ]);
}

/** Trims a name; a name that is empty once trimmed is a field problem at `path`. */
export function trimmedName(value: string, path: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw fieldProblem(path, 'must not be empty');
  return trimmed;
}

export function normalisedEmail(value: string): string {
  return value.trim().toLowerCase();
}
