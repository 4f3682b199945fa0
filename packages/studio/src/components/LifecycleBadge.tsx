import type { ReactElement } from 'react';
import type { Lifecycle } from '../api/api-types';

/** A connector's lifecycle: active, deprecated, or shut down (sunset) with its date. */
export function LifecycleBadge(props: { lifecycle: Lifecycle }): ReactElement {
  const { status, sunsetAt, deprecatedAt } = props.lifecycle;
  if (status === 'sunset')
    return <span className="badge badge-danger">{sunsetAt ? `shut down ${sunsetAt}` : 'shut down'}</span>;
  if (status === 'deprecated')
    return (
      <span className="badge badge-warn">{deprecatedAt ? `deprecated ${deprecatedAt}` : 'deprecated'}</span>
    );
  return <span className="badge badge-ok">active</span>;
}
