import type { ReactElement } from 'react';
import type { Configuration } from '../../api/api-types';
import { formatDate } from '../../app/format';
import { StatusBadge } from '../../components/StatusBadge';
import type { ConfigurationAction } from './ConfigurationDialogs';
import {
  META_CONNECTORS,
  mayManage,
  memberName,
  sharingText,
  type IntegrationsData,
} from './integrations-data';

/** One configuration in the list, with the actions its owner or an admin may take. */
export function ConfigurationRow(props: {
  configuration: Configuration;
  data: IntegrationsData;
  highlighted: boolean;
  onAction: (action: ConfigurationAction) => void;
}): ReactElement {
  const { configuration, data } = props;
  const manage = mayManage(data, configuration);
  const secrets = Object.entries(configuration.values).filter(
    ([, value]) => typeof value === 'object' && value !== null && 'set' in value,
  );
  const rotatable = !META_CONNECTORS.includes(configuration.connector) && secrets.length > 0;
  const name = configuration.nickname;
  return (
    <tr className={props.highlighted ? 'highlight' : undefined} id={`configuration-row-${configuration.id}`}>
      <th scope="row">
        {name}
        {secrets.length > 0 ? (
          <>
            <br />
            <small>
              {secrets
                .map(([field, value]) => `${field}: ${(value as { set: boolean }).set ? 'set' : 'not set'}`)
                .join(' · ')}
            </small>
          </>
        ) : null}
      </th>
      <td>
        {configuration.connector}
        {configuration.kind !== 'default' ? ` (${configuration.kind})` : ''}
      </td>
      <td>
        {memberName(data, configuration.ownerId)}
        {configuration.ownerId === data.meId ? ' (you)' : ''}
      </td>
      <td>{sharingText(configuration, data)}</td>
      <td>
        <StatusBadge configuration={configuration} />
      </td>
      <td>{formatDate(configuration.lastUsedAt)}</td>
      <td>
        {manage ? (
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => props.onAction('rename')}>
              Rename
              <span className="visually-hidden"> {name}</span>
            </button>
            {rotatable ? (
              <button type="button" className="button-secondary" onClick={() => props.onAction('rotate')}>
                Rotate token
                <span className="visually-hidden"> of {name}</span>
              </button>
            ) : null}
            <button type="button" className="button-secondary" onClick={() => props.onAction('share')}>
              Share
              <span className="visually-hidden"> {name}</span>
            </button>
            <button type="button" className="button-secondary" onClick={() => props.onAction('transfer')}>
              Transfer
              <span className="visually-hidden"> {name}</span>
            </button>
            <button type="button" className="button-danger" onClick={() => props.onAction('delete')}>
              Delete
              <span className="visually-hidden"> {name}</span>
            </button>
          </div>
        ) : (
          <small>You may use it in flows</small>
        )}
      </td>
    </tr>
  );
}
