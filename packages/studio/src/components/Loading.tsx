import type { ReactElement } from 'react';

/** What shows while a page's code or data is on its way. */
export function Loading(): ReactElement {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}
