import type { ApiError } from '../../api/api-error';

/**
 * The API's validation problems as messages per form field. Configuration values are reported at
 * `/values` with the field named in quotes (`"accessToken" is required`); other fields at their
 * own pointer (`/nickname`). `shown` is true when every problem found a field.
 */
export function fieldErrorsOf(
  error: ApiError | undefined,
  fields: readonly string[],
): { errors: Record<string, string>; shown: boolean } {
  const errors: Record<string, string> = {};
  if (!error || error.problems.length === 0) return { errors, shown: false };
  let shown = true;
  for (const problem of error.problems) {
    const direct = problem.path.replace(/^\/(values\/)?/, '').split('/')[0] ?? '';
    const quoted = /^"([^"]+)"/.exec(problem.message)?.[1];
    const field = fields.includes(direct) ? direct : quoted && fields.includes(quoted) ? quoted : undefined;
    if (field) errors[field] = errors[field] ? `${errors[field]}; ${problem.message}` : problem.message;
    else shown = false;
  }
  return { errors, shown };
}
