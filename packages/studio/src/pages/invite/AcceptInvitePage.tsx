import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { SignedIn } from '../../api/api-types';
import { formatDate } from '../../app/format';
import { useApi } from '../../app/use-api';
import { useSubmit } from '../../app/use-submit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';

interface InviteView {
  email: string;
  workspaceName: string;
  role: string;
  expiresAt: string;
  /** The email already has an account: accepting only needs that account's password. */
  accountExists?: boolean;
}

const FIELDS = ['/name', '/password'];

/** An invite link: shows who invited where, then creates the account (name + password). */
export default function AcceptInvitePage(props: {
  token: string;
  onAccepted: (me: SignedIn) => void;
}): ReactElement {
  const invite = useApi<InviteView>(`/v1/invites/${encodeURIComponent(props.token)}`);
  const submit = useSubmit();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const onSubmit = submit.handler(async () => {
    props.onAccepted(
      await api<SignedIn>('POST', `/v1/invites/${encodeURIComponent(props.token)}/accept`, {
        name,
        password,
      }),
    );
  });
  return (
    <main className="centered" id="main">
      <div className="card auth-card">
        <h1>Join Flowcard</h1>
        {invite.loading && !invite.data ? <Loading /> : null}
        <ErrorNotice error={invite.error}>
          <p>Ask the person who invited you for a new invite link.</p>
        </ErrorNotice>
        {invite.data ? (
          <>
            <p>
              You are invited to <strong>{invite.data.workspaceName}</strong> as {invite.data.role}, with the
              email <strong>{invite.data.email}</strong>. The link works once, until{' '}
              {formatDate(invite.data.expiresAt)}.
            </p>
            <form onSubmit={onSubmit} noValidate>
              <FormErrorSummary submit={submit} fields={FIELDS} />
              {invite.data.accountExists ? (
                <p>You already have a Flowcard account with this email: enter its password to join.</p>
              ) : (
                <FormField
                  label="Your name"
                  name="name"
                  autoComplete="name"
                  required
                  maxLength={100}
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  error={submit.fieldError('/name')}
                />
              )}
              <FormField
                label={invite.data.accountExists ? 'Password' : 'Choose a password'}
                name="password"
                type="password"
                autoComplete="new-password"
                required
                hint={invite.data.accountExists ? undefined : 'At least 8 characters.'}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                error={submit.fieldError('/password')}
              />
              <button type="submit" className="button-primary" disabled={submit.busy}>
                {submit.busy ? 'Joining…' : 'Join the workspace'}
              </button>
            </form>
          </>
        ) : null}
      </div>
    </main>
  );
}
