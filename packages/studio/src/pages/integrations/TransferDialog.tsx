import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ConfigurationDialogProps } from './configuration-dialog-props';

/** Transfer: another member becomes the owner (the API refuses one who could not have created it). */
export function TransferDialog(props: ConfigurationDialogProps): ReactElement {
  const { configuration, data } = props;
  const submit = useSubmit();
  const [userId, setUserId] = useState('');
  const candidates = data.members.filter((member) => member.id !== configuration.ownerId);
  const save = submit.handler(async () => {
    await api('POST', `/v1/configurations/${encodeURIComponent(configuration.id)}/transfer`, { userId });
    await props.onDone();
  });
  return (
    <Dialog title={`Transfer ${configuration.nickname}`} onClose={props.onClose}>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor="transfer-owner">New owner</label>
          <select
            id="transfer-owner"
            required
            value={userId}
            onChange={(event) => setUserId(event.target.value)}
          >
            <option value="">Choose a member…</option>
            {candidates.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name} ({member.email}, {member.role})
              </option>
            ))}
          </select>
        </div>
        <ErrorNotice error={submit.error} />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={submit.busy || userId === ''}>
            Transfer
          </button>
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
