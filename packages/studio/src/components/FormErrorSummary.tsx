import type { ReactElement } from 'react';
import type { Submit } from '../app/use-submit';

/**
 * The error of a submitted form that no field shows: the API's message when no problem names one
 * of `fields` (field problems appear next to their fields instead).
 */
export function FormErrorSummary(props: { submit: Submit; fields: readonly string[] }): ReactElement | null {
  const { error } = props.submit;
  if (!error) return null;
  const shownByFields =
    error.problems.length > 0 && error.problems.every((p) => props.fields.includes(p.path));
  if (shownByFields)
    return (
      <p className="notice notice-error" role="alert">
        Please correct the fields marked below.
      </p>
    );
  return (
    <p className="notice notice-error" role="alert">
      {error.message}
    </p>
  );
}
