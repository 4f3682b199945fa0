import type { ErrorObject } from 'ajv';

/**
 * ajv errors as people read them, each naming the field: `input/message: must be string`,
 * `input/pageId: is required`, `output/id: must be string`.
 */
export function validationMessage(
  root: string,
  errors: readonly ErrorObject[] | null | undefined,
  limit = 5,
): string {
  if (!errors || errors.length === 0) return `${root}: is not valid`;
  const lines = errors.slice(0, limit).map((error) => line(root, error));
  const more = errors.length > limit ? `; and ${errors.length - limit} more` : '';
  return lines.join('; ') + more;
}

function line(root: string, error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required')
    return `${root}${error.instancePath}/${String(params.missingProperty)}: is required`;
  if (error.keyword === 'additionalProperties')
    return `${root}${error.instancePath}/${String(params.additionalProperty)}: is not allowed`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${root}${error.instancePath}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${root}${error.instancePath}: ${error.message ?? 'is not valid'}`;
}
