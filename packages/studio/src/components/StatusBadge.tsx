import type { ReactElement } from 'react';
import type { Configuration } from '../api/api-types';
import { daysUntil } from '../app/format';

/**
 * A configuration's status in words: active / expiring in N days / expired / needs
 * re-authorisation / revoked. "Expiring" counts to the nearer of token and data-access expiry.
 */
export function StatusBadge(props: { configuration: Configuration }): ReactElement {
  const { status, expiresAt, dataAccessExpiresAt } = props.configuration;
  switch (status) {
    case 'active':
      return <span className="badge badge-ok">active</span>;
    case 'expiring': {
      const days = [daysUntil(expiresAt), daysUntil(dataAccessExpiresAt)].filter(
        (value): value is number => value !== undefined,
      );
      const nearest = days.length > 0 ? Math.max(0, Math.min(...days)) : undefined;
      return (
        <span className="badge badge-warn">
          {nearest === undefined
            ? 'expiring soon'
            : `expiring in ${nearest} ${nearest === 1 ? 'day' : 'days'}`}
        </span>
      );
    }
    case 'expired':
      return <span className="badge badge-danger">expired</span>;
    case 'needs_reauth':
      return <span className="badge badge-danger">needs re-authorisation</span>;
    case 'revoked':
      return <span className="badge badge-muted">revoked</span>;
  }
}
