import type { ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { flowName, flowsUsing, type IntegrationsData } from './integrations-data';

/**
 * Disconnect account: revokes the Facebook grant at Meta and removes every configuration made from
 * it in this workspace. The confirmation names each configuration and flow it affects.
 */
export function DisconnectAccountDialog(props: {
  metaUserId: string;
  data: IntegrationsData;
  onClose: () => void;
}): ReactElement {
  const submit = useSubmit();
  const configurations = props.data.configurations.filter(
    (configuration) => configuration.externalIds.metaUserId === props.metaUserId,
  );
  const flows = flowsUsing(
    props.data.flows,
    configurations.map((configuration) => configuration.id),
  );
  const disconnect = (): void => {
    void submit.run(async () => {
      await api('DELETE', `/v1/connect/meta/connections/${encodeURIComponent(props.metaUserId)}?confirm=true`);
      props.onClose();
      await props.data.reload();
    });
  };
  return (
    <Dialog title={`Disconnect Facebook account ${props.metaUserId}?`} onClose={props.onClose}>
      <p>Flowcard revokes its access at Facebook and removes these configurations:</p>
      <ul>
        {configurations.map((configuration) => (
          <li key={configuration.id}>
            {configuration.nickname} ({configuration.connector})
          </li>
        ))}
      </ul>
      {flows.length > 0 ? (
        <>
          <p>These flows use them and will stop working:</p>
          <ul>
            {flows.map((flow) => (
              <li key={flow.id}>{flowName(flow)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>No flow uses them.</p>
      )}
      <ErrorNotice error={submit.error} />
      <div className="actions">
        <button
          type="button"
          className="button-danger button-primary"
          disabled={submit.busy}
          onClick={disconnect}
        >
          Disconnect account
        </button>
        <button type="button" className="button-secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
