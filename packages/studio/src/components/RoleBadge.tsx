import type { ReactElement } from 'react';

/** A workspace role as a short badge. */
export function RoleBadge(props: { role: string }): ReactElement {
  return (
    <span className={props.role === 'member' ? 'badge badge-muted' : 'badge badge-ok'}>{props.role}</span>
  );
}
