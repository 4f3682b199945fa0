import type { ReactElement } from 'react';
import type { ConnectMessage } from '../../api/api-types';
import { pendingConnect, startConnectMeta } from '../../app/connect-meta';
import { navigate } from '../../app/router';
import { useApi } from '../../app/use-api';

const DECLINED = 'FLOWCARD_ERR_META_PERMISSIONS_DECLINED';

/**
 * After the Facebook round trip: "connected", or the exact message for the failure's code with its
 * "what to do" line (from GET /v1/connect/meta/messages) and Try again; after a declined
 * permission, Try again asks Facebook for it again (the API always sends auth_type=rerequest).
 */
export function ConnectResultBanner(props: {
  outcome: string;
  code: string | null;
  connector: string | null;
  graphCode: string | null;
}): ReactElement {
  const failed = props.outcome === 'error';
  const messages = useApi<{ messages: ConnectMessage[] }>(failed ? '/v1/connect/meta/messages' : null);
  const pending = pendingConnect();
  const connector = props.connector ?? pending?.connector ?? 'facebook-pages';
  const dismiss = (): void => navigate('/settings/integrations', { replace: true });
  if (!failed)
    return (
      <div className="notice notice-ok" role="status">
        <p>Facebook is connected. Your Pages are listed under Connect Meta below.</p>
        <button type="button" className="button-plain" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    );
  const known = messages.data?.messages.find((message) => message.code === props.code);
  if (messages.loading && !known) return <p role="status">Loading…</p>;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>
          {known?.message.replace('{code}', props.graphCode ?? '?') ?? 'Connecting Facebook did not work.'}
        </strong>
      </p>
      <p>
        {known?.whatToDo ?? 'Try again; if it keeps failing, ask an admin to check the Meta app settings.'}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          onClick={() => startConnectMeta({ connector, configurationId: pending?.configurationId })}
        >
          {props.code === DECLINED ? 'Try again and allow the permissions' : 'Try again'}
        </button>
        <button type="button" className="button-plain" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
