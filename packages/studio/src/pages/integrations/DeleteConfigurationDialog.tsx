import type { ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ConfigurationDialogProps } from './configuration-dialog-props';
import { flowName, flowsUsing } from './integrations-data';

/** Delete, after a confirmation that lists the flows using it. */
export function DeleteConfigurationDialog(props: ConfigurationDialogProps): ReactElement {
  const { configuration, data } = props;
  const submit = useSubmit();
  const flows = flowsUsing(data.flows, [configuration.id]);
  const remove = (): void => {
    void submit.run(async () => {
      await api('DELETE', `/v1/configurations/${encodeURIComponent(configuration.id)}?confirm=true`);
      await props.onDone();
    });
  };
  return (
    <Dialog title={`Delete ${configuration.nickname}?`} onClose={props.onClose}>
      <p>Its credentials are deleted; this cannot be undone.</p>
      {flows.length > 0 ? (
        <>
          <p>These flows use it and will be paused until they are given another configuration:</p>
          <ul>
            {flows.map((flow) => (
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
          onClick={remove}
        >
          Delete
        </button>
        <button type="button" className="button-secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
