import type { ReactElement } from 'react';
import type { ConnectorSummary } from '../../api/api-types';
import { ConnectorCard } from './ConnectorCard';

/** The connector catalog: one card per installed connector, its lifecycle and how to connect it. */
export function ConnectorCatalog(props: {
  connectors: ConnectorSummary[];
  isAdmin: boolean;
  onCreated: () => Promise<void>;
}): ReactElement {
  return (
    <>
      <h2>Connectors</h2>
      <div className="catalog">
        {props.connectors.map((connector) => (
          <ConnectorCard
            key={connector.name}
            connector={connector}
            isAdmin={props.isAdmin}
            onCreated={props.onCreated}
          />
        ))}
      </div>
    </>
  );
}
