import { useId, useState, type ReactElement } from 'react';
import type { ConnectorDetail, ConnectorSummary } from '../../api/api-types';
import { startConnectMeta } from '../../app/connect-meta';
import { useApi } from '../../app/use-api';
import { LifecycleBadge } from '../../components/LifecycleBadge';
import { META_CONNECTORS } from './integrations-data';
import { NewConfigurationDialog } from './NewConfigurationDialog';

const ADMIN_REASON = 'Only owners and admins can add this connection: ask one of them.';

/**
 * One connector: title, lifecycle badge and notice, and its connect buttons — Connect Meta for the
 * Facebook connectors, one "+ Connect" per pasted-token configuration kind (Workplace, SCIM). A
 * button a member may not use stays visible, disabled, with the reason beside it.
 */
export function ConnectorCard(props: {
  connector: ConnectorSummary;
  isAdmin: boolean;
  onCreated: () => Promise<void>;
}): ReactElement {
  const { connector, isAdmin } = props;
  const reasonId = useId();
  const detail = useApi<ConnectorDetail>(`/v1/catalog/connectors/${encodeURIComponent(connector.name)}`);
  const [open, setOpen] = useState<string>();
  const isMeta = META_CONNECTORS.includes(connector.name);
  const kinds = (detail.data?.configurations ?? []).filter((kind) => kind.auth?.kind !== 'oauth2');
  const allowed = (requiresRole: string | undefined): boolean =>
    isAdmin || !requiresRole || requiresRole === 'member';
  const anyDisabled = isMeta ? !isAdmin : kinds.some((kind) => !allowed(kind.requiresRole));
  const kindOpen = kinds.find((kind) => kind.key === open);
  return (
    <article className="card" aria-labelledby={`${reasonId}-title`}>
      <div className="section-head">
        <h3 id={`${reasonId}-title`}>{connector.title}</h3>
        <LifecycleBadge lifecycle={connector.lifecycle} />
      </div>
      {connector.description ? <p>{connector.description}</p> : null}
      {connector.lifecycle.status !== 'active' ? (
        <p className={connector.lifecycle.status === 'sunset' ? 'notice notice-warn' : 'notice notice-info'}>
          {connector.lifecycle.message ?? connector.lifecycle.notice}
        </p>
      ) : null}
      <div className="actions">
        {isMeta ? (
          <button
            type="button"
            className="button-primary"
            disabled={!isAdmin}
            aria-describedby={!isAdmin ? reasonId : undefined}
            onClick={() => startConnectMeta({ connector: connector.name })}
          >
            Connect Meta ({connector.title})
          </button>
        ) : (
          kinds.map((kind) => (
            <button
              key={kind.key}
              type="button"
              className={kind.key === 'default' ? 'button-primary' : 'button-secondary'}
              disabled={!allowed(kind.requiresRole)}
              aria-describedby={!allowed(kind.requiresRole) ? reasonId : undefined}
              onClick={() => setOpen(kind.key)}
            >
              {kind.key === 'default' ? `+ Connect ${connector.title}` : `+ ${kind.title} connection`}
            </button>
          ))
        )}
      </div>
      {anyDisabled ? (
        <p className="hint" id={reasonId}>
          {isMeta ? "Your role doesn't allow connecting Meta accounts. Ask an owner or admin." : ADMIN_REASON}
        </p>
      ) : null}
      {kindOpen ? (
        <NewConfigurationDialog
          connector={connector}
          kind={kindOpen}
          onClose={() => setOpen(undefined)}
          onCreated={props.onCreated}
        />
      ) : null}
    </article>
  );
}
