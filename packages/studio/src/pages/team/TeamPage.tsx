import type { ReactElement } from 'react';
import type { Invite, Member } from '../../api/api-types';
import { useSession } from '../../app/session-context';
import { useApi } from '../../app/use-api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { InviteForm } from './InviteForm';
import { InvitesTable } from './InvitesTable';
import { MembersTable } from './MembersTable';

/** Team: everyone sees the members; owners and admins invite, change roles and remove. */
export default function TeamPage(): ReactElement {
  const { isAdmin } = useSession();
  const members = useApi<{ members: Member[] }>('/v1/team/members');
  const invites = useApi<{ invites: Invite[] }>(isAdmin ? '/v1/team/invites' : null);
  return (
    <section>
      <h1>Team</h1>
      {!isAdmin ? (
        <p className="notice notice-info">
          You can see who is in this workspace. Only owners and admins can invite, change roles or remove
          people.
        </p>
      ) : null}
      <ErrorNotice error={members.error} />
      {members.data ? (
        <MembersTable members={members.data.members} canManage={isAdmin} onChanged={members.reload} />
      ) : members.loading ? (
        <Loading />
      ) : null}
      {isAdmin ? (
        <>
          <InviteForm onInvited={invites.reload} />
          <ErrorNotice error={invites.error} />
          {invites.data ? <InvitesTable invites={invites.data.invites} onChanged={invites.reload} /> : null}
        </>
      ) : null}
    </section>
  );
}
