import { useState, type ReactElement } from 'react';
import { api } from '../../api/api-client';
import type { MetaApp } from '../../api/api-types';
import { useSession } from '../../app/session-context';
import { useApi } from '../../app/use-api';
import { useSubmit } from '../../app/use-submit';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FormErrorSummary } from '../../components/FormErrorSummary';
import { FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';

/**
 * Which Meta (Facebook) app Connect Meta uses in this workspace: the deployment's shared app, or
 * the workspace's own App ID + App Secret (admins; Meta must accept the pair before it is saved).
 */
export default function MetaAppPage(): ReactElement {
  const { isAdmin } = useSession();
  const app = useApi<MetaApp>('/v1/workspace/meta-app');
  const submit = useSubmit();
  const [appId, setAppId] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [saved, setSaved] = useState<string>();
  const save = submit.handler(async () => {
    setSaved(undefined);
    await api('PUT', '/v1/workspace/meta-app', { appId, appSecret });
    setAppSecret('');
    setSaved('Saved: Connect Meta now uses your app.');
    await app.reload();
  });
  const useShared = (): void => {
    void submit.run(async () => {
      setSaved(undefined);
      await api('DELETE', '/v1/workspace/meta-app');
      setSaved('Saved: Connect Meta now uses the shared Facebook application.');
      await app.reload();
    });
  };
  return (
    <section>
      <h1>Meta app</h1>
      <p>
        Connect Meta signs people in to Facebook through a Meta app. Use the shared Facebook application of
        this Flowcard, or your own app (from the Meta for Developers dashboard: App settings → Basic).
      </p>
      <ErrorNotice error={app.error} />
      {app.loading && !app.data ? <Loading /> : null}
      {app.data ? (
        <div className="card">
          <h2>Now in use</h2>
          <p>
            {app.data.source === 'shared'
              ? `The shared Facebook application (App ID ${app.data.appId}).`
              : `Your workspace's own app, App ID ${app.data.appId}; App Secret ${app.data.appSecret?.set ? 'set' : 'not set'}.`}
          </p>
          {isAdmin && app.data.source === 'workspace' ? (
            <button type="button" className="button-secondary" disabled={submit.busy} onClick={useShared}>
              Use the shared Facebook application
            </button>
          ) : null}
        </div>
      ) : null}
      {saved ? (
        <p className="notice notice-ok" role="status">
          {saved}
        </p>
      ) : null}
      {isAdmin ? (
        <div className="card">
          <h2>Use your own Meta app</h2>
          <form onSubmit={save} noValidate>
            <FormErrorSummary submit={submit} fields={['/appId', '/appSecret']} />
            <FormField
              label="App ID"
              name="appId"
              required
              inputMode="numeric"
              value={appId}
              onChange={(event) => setAppId(event.target.value)}
              error={submit.fieldError('/appId')}
            />
            <FormField
              label="App Secret"
              name="appSecret"
              type="password"
              autoComplete="off"
              required
              hint="Stored encrypted; never shown again."
              value={appSecret}
              onChange={(event) => setAppSecret(event.target.value)}
              error={submit.fieldError('/appSecret')}
            />
            <button type="submit" className="button-primary" disabled={submit.busy}>
              Check with Meta and save
            </button>
          </form>
        </div>
      ) : (
        <p className="notice notice-info">Only owners and admins can change the Meta app.</p>
      )}
    </section>
  );
}
