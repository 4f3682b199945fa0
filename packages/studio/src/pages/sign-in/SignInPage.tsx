import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { SignedIn } from '../../api/api-types';
import { useSubmit } from '../../app/use-submit';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';

const FIELDS = ['/email', '/password'];

/** Email + password sign-in (POST /v1/auth/sign-in); the session is an HttpOnly cookie. */
export default function SignInPage(props: {
  onSignedIn: (me: SignedIn) => void;
  notice?: string;
}): ReactElement {
  const submit = useSubmit();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const onSubmit = submit.handler(async () => {
    props.onSignedIn(await api<SignedIn>('POST', '/v1/auth/sign-in', { email, password }));
  });
  return (
    <main className="centered" id="main">
      <div className="card auth-card">
        <h1>Sign in to Flowcard</h1>
        {props.notice ? (
          <p className="notice notice-info" role="status">
            {props.notice}
          </p>
        ) : null}
        <form onSubmit={onSubmit} noValidate>
          <FormErrorSummary submit={submit} fields={FIELDS} />
          <FormField
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={submit.fieldError('/email')}
          />
          <FormField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={submit.fieldError('/password')}
          />
          <button type="submit" className="button-primary" disabled={submit.busy}>
            {submit.busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="hint">No account yet? Ask an owner or admin of your workspace for an invite link.</p>
      </div>
    </main>
  );
}
