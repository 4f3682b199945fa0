import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Member } from '../../api/api-types';
import { useApi } from '../../app/use-api';
import { useSubmit } from '../../app/use-submit';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';

interface Owned {
  configurations: Array<{ id: string; nickname: string; connector: string }>;
  flows: Array<{ id: string; name: string }>;
}

/**
 * Removing a member: lists what they own (configurations, flows) and asks who takes it over.
 * Nothing is deleted with them: the API refuses to remove an owner of things without a transfer.
 */
export function RemoveMemberDialog(props: {
  member: Member;
  members: Member[];
  onClose: () => void;
  onRemoved: () => Promise<void>;
}): ReactElement {
  const owned = useApi<Owned>(`/v1/team/members/${encodeURIComponent(props.member.id)}/removal`);
  const submit = useSubmit();
  const candidates = props.members.filter(
    (member) => member.id !== props.member.id && member.role !== 'member',
  );
  const [transferTo, setTransferTo] = useState('');
  const ownsItems = (owned.data?.configurations.length ?? 0) + (owned.data?.flows.length ?? 0) > 0;
  const remove = submit.handler(async () => {
    await api(
      'DELETE',
      `/v1/team/members/${encodeURIComponent(props.member.id)}`,
      ownsItems ? { transferTo } : {},
    );
    await props.onRemoved();
  });
  return (
    <Dialog title={`Remove ${props.member.name}?`} onClose={props.onClose}>
      {owned.loading ? <Loading /> : null}
      <ErrorNotice error={owned.error} />
      {owned.data ? (
        <form onSubmit={remove}>
          <p>
            {props.member.name} ({props.member.email}) loses access to this workspace at once.
          </p>
          {ownsItems ? (
            <>
              <p>They own these; choose who takes them over (nothing is deleted):</p>
              <ul>
                {owned.data.configurations.map((item) => (
                  <li key={item.id}>
                    Configuration “{item.nickname}” ({item.connector})
                  </li>
                ))}
                {owned.data.flows.map((item) => (
                  <li key={item.id}>Flow “{item.name}”</li>
                ))}
              </ul>
              <div className="field">
                <label htmlFor="transfer-to">Transfer to</label>
                <select
                  id="transfer-to"
                  required
                  value={transferTo}
                  onChange={(event) => setTransferTo(event.target.value)}
                >
                  <option value="">Choose an owner or admin…</option>
                  {candidates.map((member) => (
                    <option key={member.id} value={member.id}>
                      {member.name} ({member.email})
                    </option>
                  ))}
                </select>
              </div>
            </>
          ) : (
            <p>They own no configurations or flows.</p>
          )}
          <ErrorNotice error={submit.error} />
          <div className="actions">
            <button
              type="submit"
              className="button-danger button-primary"
              disabled={submit.busy || (ownsItems && !transferTo)}
            >
              {ownsItems ? 'Transfer and remove' : 'Remove'}
            </button>
            <button type="button" className="button-secondary" onClick={props.onClose}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
