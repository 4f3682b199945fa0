import { useState, type ReactElement } from 'react';
import type { Configuration } from '../../api/api-types';
import { DisconnectAccountDialog } from './DisconnectAccountDialog';
import { META_CONNECTORS, memberName, type IntegrationsData } from './integrations-data';
import { MetaPageRow } from './MetaPageRow';

/**
 * Connect Meta: the connected Facebook Pages, one row each, grouped by the Facebook account that
 * granted them (Disconnect account revokes that grant at Meta and removes its Pages here).
 */
export function MetaPagesSection(props: { data: IntegrationsData; highlight: string | null }): ReactElement {
  const { data } = props;
  const [disconnecting, setDisconnecting] = useState<string>();
  const pages = data.configurations.filter((configuration) =>
    META_CONNECTORS.includes(configuration.connector),
  );
  const accounts = new Map<string, Configuration[]>();
  for (const page of pages) {
    const account = page.externalIds.metaUserId ?? 'unknown';
    accounts.set(account, [...(accounts.get(account) ?? []), page]);
  }
  return (
    <>
      <h2>Connect Meta: Facebook Pages</h2>
      {pages.length === 0 ? (
        <p>No Facebook Pages connected yet. Use Connect Meta on Facebook Pages or Facebook Lead Ads above.</p>
      ) : null}
      {[...accounts.entries()].map(([account, rows]) => (
        <div key={account} className="card">
          <div className="section-head">
            <h3>
              Facebook account {account}, connected by {memberName(data, rows[0]?.authorizedBy)}
            </h3>
            {data.isAdmin || rows.some((row) => row.authorizedBy === data.meId) ? (
              <button type="button" className="button-danger" onClick={() => setDisconnecting(account)}>
                Disconnect account {account}
              </button>
            ) : null}
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Page</th>
                  <th scope="col">Connector</th>
                  <th scope="col">Permissions granted</th>
                  <th scope="col">Consent</th>
                  <th scope="col">Token expires</th>
                  <th scope="col">Data access expires</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <MetaPageRow key={row.id} page={row} data={data} highlighted={props.highlight === row.id} />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
      {disconnecting ? (
        <DisconnectAccountDialog
          metaUserId={disconnecting}
          data={data}
          onClose={() => setDisconnecting(undefined)}
        />
      ) : null}
    </>
  );
}
