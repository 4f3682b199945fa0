import { useMemo, type ReactElement } from 'react';
import type { Configuration, ConnectorSummary, Flow, Member } from '../../api/api-types';
import { useLocation } from '../../app/router';
import { useSession } from '../../app/session-context';
import { useApi } from '../../app/use-api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { ConfigurationsTable } from './ConfigurationsTable';
import { ConnectorCatalog } from './ConnectorCatalog';
import { ConnectResultBanner } from './ConnectResultBanner';
import type { IntegrationsData } from './integrations-data';
import { MetaPagesSection } from './MetaPagesSection';

/**
 * Settings → Integrations, the hub: the connector catalog with lifecycle badges and the ways to
 * connect, the connected Facebook Pages, and every configuration the person may use or manage.
 */
export default function IntegrationsPage(): ReactElement {
  const { me, isAdmin } = useSession();
  const { search } = useLocation();
  const catalog = useApi<{ connectors: ConnectorSummary[] }>('/v1/catalog/connectors');
  const configurations = useApi<{ configurations: Configuration[] }>(
    isAdmin ? '/v1/configurations?scope=workspace' : '/v1/configurations',
  );
  const members = useApi<{ members: Member[] }>('/v1/team/members');
  const flows = useApi<{ flows: Flow[] }>('/v1/flows?limit=200');
  const reloadConfigurations = configurations.reload;
  const reloadFlows = flows.reload;

  const data = useMemo(
    (): IntegrationsData | undefined =>
      configurations.data
        ? {
            configurations: configurations.data.configurations,
            members: members.data?.members ?? [],
            flows: flows.data?.flows ?? [],
            meId: me.user.id,
            meName: me.user.name ?? me.user.email ?? 'you',
            isAdmin,
            reload: async () => {
              await Promise.all([reloadConfigurations(), reloadFlows()]);
            },
          }
        : undefined,
    [configurations.data, members.data, flows.data, me.user, isAdmin, reloadConfigurations, reloadFlows],
  );

  const outcome = search.get('connect');
  return (
    <section>
      <h1>Integrations</h1>
      {outcome ? (
        <ConnectResultBanner
          outcome={outcome}
          code={search.get('code')}
          connector={search.get('connector')}
          graphCode={search.get('graphCode')}
        />
      ) : null}
      <ErrorNotice error={catalog.error ?? configurations.error} />
      {catalog.data ? (
        <ConnectorCatalog
          connectors={catalog.data.connectors}
          isAdmin={isAdmin}
          onCreated={reloadConfigurations}
        />
      ) : (
        <Loading />
      )}
      {data ? (
        <>
          <MetaPagesSection data={data} highlight={search.get('configuration')} />
          <ConfigurationsTable data={data} highlight={search.get('configuration')} />
        </>
      ) : null}
    </section>
  );
}
