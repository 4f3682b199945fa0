import type { ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiKey } from '../../api/api-types';
import { formatDate } from '../../app/format';
import { useSubmit } from '../../app/use-submit';
import { ErrorNotice } from '../../components/ErrorNotice';

/** My keys: name, created, last used, and Revoke. */
export function ApiKeysTable(props: { apiKeys: ApiKey[]; onChanged: () => Promise<void> }): ReactElement {
  const submit = useSubmit();
  const revoke = (key: ApiKey): void => {
    void submit.run(async () => {
      await api('DELETE', `/v1/me/api-keys/${encodeURIComponent(key.id)}`);
      await props.onChanged();
    });
  };
  if (props.apiKeys.length === 0) return <p>You have no API keys.</p>;
  return (
    <>
      <h2>Your keys</h2>
      <ErrorNotice error={submit.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {props.apiKeys.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>{formatDate(key.createdAt)}</td>
                <td>{formatDate(key.lastUsedAt)}</td>
                <td>{key.revokedAt ? `revoked ${formatDate(key.revokedAt)}` : 'active'}</td>
                <td>
                  {key.revokedAt ? null : (
                    <button type="button" className="button-danger" onClick={() => revoke(key)}>
                      Revoke<span className="visually-hidden"> {key.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
