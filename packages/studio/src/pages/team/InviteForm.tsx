import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { Invite } from '../../api/api-types';
import { useSubmit } from '../../app/use-submit';
import { CopyField } from '../../components/CopyField';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';

/**
 * Invite by email. There is no mail server: the single-use link is shown to copy (and sent through
 * the notifier webhook when one is configured).
 */
export function InviteForm(props: { onInvited: () => Promise<void> }): ReactElement {
  const submit = useSubmit();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [link, setLink] = useState<string>();
  const invite = submit.handler(async () => {
    setLink(undefined);
    const answer = await api<{ invite: Invite; link: string }>('POST', '/v1/team/invites', { email, role });
    setLink(answer.link);
    setEmail('');
    await props.onInvited();
  });
  return (
    <div className="card">
      <h2>Invite someone</h2>
      <form onSubmit={invite} noValidate>
        <FormErrorSummary submit={submit} fields={['/email', '/role']} />
        <FormField
          label="Email"
          name="invite-email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={submit.fieldError('/email')}
        />
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select
            id="invite-role"
            value={role}
            onChange={(event) => setRole(event.target.value as 'member' | 'admin')}
          >
            <option value="member">member: uses what is shared with them, builds flows</option>
            <option value="admin">admin: also manages people, connections and settings</option>
          </select>
        </div>
        <button type="submit" className="button-primary" disabled={submit.busy}>
          Create invite link
        </button>
      </form>
      {link ? (
        <div className="notice notice-ok" role="status">
          <p>Invite created. Send this link to them; it works once and expires in 7 days.</p>
          <CopyField label="Invite link" value={link} />
        </div>
      ) : null}
    </div>
  );
}
