import type { ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Invite } from '../../api/api-types';
import { formatDate } from '../../app/format';
import { useSubmit } from '../../app/use-submit';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Invites sent, with their status; pending ones can be revoked. */
export function InvitesTable(props: {
  invites: Invite[];
  onChanged: () => Promise<void>;
}): ReactElement | null {
  const submit = useSubmit();
  if (props.invites.length === 0) return null;
  const revoke = (invite: Invite): void => {
    void submit.run(async () => {
      await api('DELETE', `/v1/team/invites/${encodeURIComponent(invite.id)}`);
      await props.onChanged();
    });
  };
  return (
    <>
      <h2>Invites</h2>
      <ErrorNotice error={submit.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {props.invites.map((invite) => (
              <tr key={invite.id}>
                <td>{invite.email}</td>
                <td>{invite.role}</td>
                <td>{invite.status}</td>
                <td>{formatDate(invite.expiresAt)}</td>
                <td>
                  {invite.status === 'pending' ? (
                    <button type="button" className="button-secondary" onClick={() => revoke(invite)}>
                      Revoke<span className="visually-hidden"> invite for {invite.email}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
