import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';

export interface Submit {
  readonly busy: boolean;
  readonly error: ApiError | undefined;
  /** The API's message for the field at `path` (e.g. `/email`). */
  fieldError(path: string): string | undefined;
  /** A form's onSubmit: runs `action`, keeps its ApiError for the page to show. */
  handler(action: () => Promise<void>): (event: FormEvent) => void;
  run(action: () => Promise<void>): Promise<boolean>;
  clear(): void;
}

/** Submitting a form to the API: busy flag, the error answer, and its field problems. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError(
              0,
              'STUDIO_ERROR',
              'Something went wrong in the Studio. Reload the page and try again.',
            ),
      );
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    error,
    fieldError: (path) => error?.problemAt(path),
    handler: (action) => (event) => {
      event.preventDefault();
      void run(action);
    },
    run,
    clear: () => setError(undefined),
  };
}
