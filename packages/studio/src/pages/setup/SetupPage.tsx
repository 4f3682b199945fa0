import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { SignedIn } from '../../api/api-types';
import { useSubmit } from '../../app/use-submit';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';

const FIELDS = ['/workspaceName', '/name', '/email', '/password'];

/** First run: creates the workspace and its owner (POST /v1/setup), then signs the owner in. */
export default function SetupPage(props: { onDone: (me: SignedIn) => void }): ReactElement {
  const submit = useSubmit();
  const [form, setForm] = useState({ workspaceName: '', name: '', email: '', password: '' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const onSubmit = submit.handler(async () => {
    props.onDone(await api<SignedIn>('POST', '/v1/setup', form));
  });
  return (
    <main className="centered" id="main">
      <div className="card auth-card">
        <h1>Welcome to Flowcard</h1>
        <p>Create your workspace and its owner account. You can invite your team afterwards.</p>
        <form onSubmit={onSubmit} noValidate>
          <FormErrorSummary submit={submit} fields={FIELDS} />
          <FormField
            label="Workspace name"
            name="workspaceName"
            autoComplete="organization"
            required
            maxLength={100}
            value={form.workspaceName}
            onChange={set('workspaceName')}
            error={submit.fieldError('/workspaceName')}
          />
          <FormField
            label="Your name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
            value={form.name}
            onChange={set('name')}
            error={submit.fieldError('/name')}
          />
          <FormField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
            error={submit.fieldError('/email')}
          />
          <FormField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 8 characters."
            value={form.password}
            onChange={set('password')}
            error={submit.fieldError('/password')}
          />
          <button type="submit" className="button-primary" disabled={submit.busy}>
            {submit.busy ? 'Creating…' : 'Create workspace'}
          </button>
        </form>
      </div>
    </main>
  );
}
