import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { ApiKey } from '../../api/api-types';
import { useApi } from '../../app/use-api';
import { useSubmit } from '../../app/use-submit';
import { CopyField } from '../../components/CopyField';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { ApiKeysTable } from './ApiKeysTable';

/** Personal API keys for scripts: create (the key is shown once), list, revoke. */
export default function ApiKeysPage(): ReactElement {
  const keys = useApi<{ apiKeys: ApiKey[] }>('/v1/me/api-keys');
  const submit = useSubmit();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string>();
  const create = submit.handler(async () => {
    setCreated(undefined);
    const answer = await api<{ apiKey: ApiKey; key: string }>('POST', '/v1/me/api-keys', { name });
    setCreated(answer.key);
    setName('');
    await keys.reload();
  });
  return (
    <section>
      <h1>API keys</h1>
      <p>
        Scripts and the <code>flowcard</code> command use an API key instead of a password: send it as{' '}
        <code>Authorization: Bearer fc_…</code>. A key acts as you, with your role.
      </p>
      <div className="card">
        <h2>Create a key</h2>
        <form onSubmit={create} noValidate>
          <FormErrorSummary submit={submit} fields={['/name']} />
          <FormField
            label="Key name"
            name="key-name"
            required
            maxLength={100}
            hint="What the key is for, e.g. “nightly export”."
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={submit.fieldError('/name')}
          />
          <button type="submit" className="button-primary" disabled={submit.busy}>
            Create key
          </button>
        </form>
        {created ? (
          <div className="notice notice-ok" role="status">
            <p>Copy the key now: it is shown only once and stored only as a hash.</p>
            <CopyField label="New API key" value={created} />
          </div>
        ) : null}
      </div>
      <ErrorNotice error={keys.error} />
      {keys.data ? (
        <ApiKeysTable apiKeys={keys.data.apiKeys} onChanged={keys.reload} />
      ) : keys.loading ? (
        <Loading />
      ) : null}
    </section>
  );
}
