import type { ReactElement, ReactNode } from 'react';
import type { ApiError } from '../api/api-error';

/**
 * The API's message for a failure that is not about one field (role, conflict, network). Shows the
 * message only: codes and details stay out of the page, and there is never a stack trace.
 */
export function ErrorNotice(props: {
  error: ApiError | undefined;
  children?: ReactNode;
}): ReactElement | null {
  if (!props.error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{props.error.message}</p>
      {props.children}
    </div>
  );
}
