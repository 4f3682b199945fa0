import { useEffect, useRef, useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Configuration } from '../../api/api-types';
import { startConnectMeta } from '../../app/connect-meta';
import { formatDate } from '../../app/format';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StatusBadge } from '../../components/StatusBadge';
import { flowName, flowsUsing, mayManage, type IntegrationsData } from './integrations-data';

/** One connected Page: who, what was granted and until when, its status, Reauthenticate, Disconnect. */
export function MetaPageRow(props: {
  page: Configuration;
  data: IntegrationsData;
  highlighted: boolean;
}): ReactElement {
  const { page, data } = props;
  const ref = useRef<HTMLTableRowElement>(null);
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit();
  useEffect(() => {
    if (props.highlighted) ref.current?.scrollIntoView({ block: 'center' });
  }, [props.highlighted]);
  const name = String(page.values.pageName ?? page.nickname);
  const pageId = String(page.values.pageId ?? page.externalIds.metaPageId ?? '');
  const affected = flowsUsing(data.flows, [page.id]);
  const manage = mayManage(data, page);
  const disconnect = (): void => {
    void submit.run(async () => {
      await api('DELETE', `/v1/configurations/${encodeURIComponent(page.id)}?confirm=true`);
      setConfirming(false);
      await data.reload();
    });
  };
  return (
    <tr ref={ref} id={`configuration-${page.id}`} className={props.highlighted ? 'highlight' : undefined}>
      <th scope="row">
        {name}
        <br />
        <small>Page id {pageId}</small>
      </th>
      <td>{page.connector}</td>
      <td>{page.grantedScopes.length > 0 ? page.grantedScopes.join(', ') : '—'}</td>
      <td>{formatDate(page.consentAt)}</td>
      <td>{page.expiresAt ? formatDate(page.expiresAt) : 'does not expire'}</td>
      <td>{formatDate(page.dataAccessExpiresAt)}</td>
      <td>
        <StatusBadge configuration={page} />
        {page.subscription ? (
          <>
            <br />
            <small>
              {page.subscription.status === 'failing'
                ? `Webhooks failing since ${formatDate(page.subscription.failingSince)}${page.subscription.detail ? `: ${page.subscription.detail}` : ''}`
                : `Webhooks ${page.subscription.status === 'resubscribed' ? 're-subscribed' : 'subscribed'} (checked ${formatDate(page.subscription.checkedAt)})`}
            </small>
          </>
        ) : null}
      </td>
      <td>
        {manage ? (
          <div className="actions">
            <button
              type="button"
              className={page.status === 'active' ? 'button-secondary' : 'button-primary'}
              disabled={!data.isAdmin}
              onClick={() => startConnectMeta({ connector: page.connector, configurationId: page.id })}
            >
              Reauthenticate
              <span className="visually-hidden"> {name}</span>
            </button>
            <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
              Disconnect
              <span className="visually-hidden"> {name}</span>
            </button>
          </div>
        ) : (
          <small>Shared with you</small>
        )}
        {confirming ? (
          <Dialog title={`Disconnect ${name}?`} onClose={() => setConfirming(false)}>
            <p>
              Flowcard forgets this Page's token. If no other connection uses the same Facebook grant, it is
              also revoked at Facebook.
            </p>
            {affected.length > 0 ? (
              <>
                <p>These flows use it and will stop working until you pick another Page:</p>
                <ul>
                  {affected.map((flow) => (
                    <li key={flow.id}>{flowName(flow)}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p>No flow uses it.</p>
            )}
            <ErrorNotice error={submit.error} />
            <div className="actions">
              <button
                type="button"
                className="button-danger button-primary"
                disabled={submit.busy}
                onClick={disconnect}
              >
                Disconnect
              </button>
              <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </Dialog>
        ) : null}
      </td>
    </tr>
  );
}
