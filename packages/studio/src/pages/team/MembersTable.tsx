import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Member, Role } from '../../api/api-types';
import { formatDate } from '../../app/format';
import { useSubmit } from '../../app/use-submit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RoleBadge } from '../../components/RoleBadge';
import { RemoveMemberDialog } from './RemoveMemberDialog';

const ROLES: Role[] = ['owner', 'admin', 'member'];

/** Members with name, email, role and last seen; admins change roles and remove people. */
export function MembersTable(props: {
  members: Member[];
  canManage: boolean;
  onChanged: () => Promise<void>;
}): ReactElement {
  const submit = useSubmit();
  const [removing, setRemoving] = useState<Member>();
  const changeRole = (member: Member, role: Role): void => {
    void submit.run(async () => {
      await api('PATCH', `/v1/team/members/${encodeURIComponent(member.id)}`, { role });
      await props.onChanged();
    });
  };
  return (
    <>
      <h2>Members</h2>
      <ErrorNotice error={submit.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Last seen</th>
              {props.canManage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.members.map((member) => (
              <tr key={member.id}>
                <td>
                  {member.name}
                  {member.isYou ? ' (you)' : ''}
                </td>
                <td>{member.email}</td>
                <td>
                  {props.canManage ? (
                    <select
                      aria-label={`Role of ${member.name}`}
                      value={member.role}
                      disabled={submit.busy}
                      onChange={(event) => changeRole(member, event.target.value as Role)}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <RoleBadge role={member.role} />
                  )}
                </td>
                <td>{formatDate(member.lastSeenAt)}</td>
                {props.canManage ? (
                  <td>
                    {member.isYou ? null : (
                      <button type="button" className="button-danger" onClick={() => setRemoving(member)}>
                        Remove<span className="visually-hidden"> {member.name}</span>
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {removing ? (
        <RemoveMemberDialog
          member={removing}
          members={props.members}
          onClose={() => setRemoving(undefined)}
          onRemoved={async () => {
            setRemoving(undefined);
            await props.onChanged();
          }}
        />
      ) : null}
    </>
  );
}
