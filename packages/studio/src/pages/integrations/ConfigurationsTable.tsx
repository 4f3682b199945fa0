import { useState, type ReactElement } from 'react';
import type { Configuration } from '../../api/api-types';
import { ConfigurationRow } from './ConfigurationRow';
import { ConfigurationDialogs, type ConfigurationAction } from './ConfigurationDialogs';
import type { IntegrationsData } from './integrations-data';

/**
 * Every configuration the person may use or manage (admins: the whole workspace): nickname,
 * connector, owner, sharing, status, last used; owners and admins rename, rotate, share,
 * transfer and delete.
 */
export function ConfigurationsTable(props: {
  data: IntegrationsData;
  highlight: string | null;
}): ReactElement {
  const [action, setAction] = useState<{ kind: ConfigurationAction; configuration: Configuration }>();
  const { configurations } = props.data;
  return (
    <>
      <h2>Configurations</h2>
      {configurations.length === 0 ? (
        <p>No configurations yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Nickname</th>
                <th scope="col">Connector</th>
                <th scope="col">Owner</th>
                <th scope="col">Sharing</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {configurations.map((configuration) => (
                <ConfigurationRow
                  key={configuration.id}
                  configuration={configuration}
                  data={props.data}
                  highlighted={props.highlight === configuration.id}
                  onAction={(kind) => setAction({ kind, configuration })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {action ? (
        <ConfigurationDialogs
          action={action.kind}
          configuration={action.configuration}
          data={props.data}
          onClose={() => setAction(undefined)}
        />
      ) : null}
    </>
  );
}
