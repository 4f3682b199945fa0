import {
  renderTemplate,
  type LoadedCard,
  type LoadedConnector,
  type WorkspaceConnectors,
} from '@flowcard/engine';
import { cardView, connectorDetail, connectorSummary } from '../../catalog/catalog-presenter';
import { mayUseConfiguration } from '../../configurations/configuration-access';
import { Ports } from '../../container/port-tokens';
import { principalOf } from '../auth/install-authentication';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';
import {
  cardSchema,
  connectorDetailSchema,
  connectorListSchema,
  optionsAnswerSchema,
  optionsBodySchema,
} from './catalog-schemas';

interface OptionsBody {
  card: string;
  configurationId: string;
  input: Record<string, unknown>;
}

const majorQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { major: { type: 'integer', minimum: 0, description: 'A major version; default the newest' } },
} as const;

/**
 * The catalog of the caller's workspace (the deployment's connectors and the workspace's own, never
 * another workspace's): installed connectors with lifecycle, their cards and configuration kinds with
 * schemas, and dynamic options (x-options) resolved by running the options card with a saved
 * configuration the caller may use.
 */
export const catalogRoutes = defineRouteModule({
  name: 'catalog',
  description: 'Connectors, cards, configuration kinds and dynamic options',
  prefix: '/v1/catalog',
  dependencies: { registry: Ports.connectors, executor: Ports.cardExecutor, sealer: Ports.secretSealer },
  optional: { configurations: Ports.configurations },
  register(app, { registry, executor, sealer, configurations }) {
    app.get(
      '/connectors',
      {
        schema: {
          summary: 'Installed connectors',
          response: { 200: connectorListSchema, ...errorResponses(401) },
        },
      },
      async (request) => {
        const visible = registry.forWorkspace(principalOf(request).workspace.id);
        return {
          connectors: byName(visible).map((majors) => ({
            ...connectorSummary(majors),
            scope: visible.workspaceOf(majors[0]!.manifest.name) ? 'workspace' : 'deployment',
          })),
        };
      },
    );

    app.get<{ Params: { name: string }; Querystring: { major?: number } }>(
      '/connectors/:name',
      {
        schema: {
          summary: 'One connector: configuration kinds and cards with their schemas',
          params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          querystring: majorQuery,
          response: { 200: connectorDetailSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const visible = registry.forWorkspace(principalOf(request).workspace.id);
        const { majors, connector } = findConnector(visible, request.params.name, request.query.major);
        return connectorDetail(majors, connector);
      },
    );

    app.get<{ Params: { name: string; card: string }; Querystring: { major?: number } }>(
      '/connectors/:name/cards/:card',
      {
        schema: {
          summary: 'One card with input and output schemas and examples',
          params: {
            type: 'object',
            required: ['name', 'card'],
            properties: { name: { type: 'string' }, card: { type: 'string' } },
          },
          querystring: majorQuery,
          response: { 200: cardSchema, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const visible = registry.forWorkspace(principalOf(request).workspace.id);
        const { connector } = findConnector(visible, request.params.name, request.query.major);
        const card = connector.cards.get(request.params.card);
        if (!card)
          throw apiError('FLOWCARD_ERR_CARD_NOT_FOUND', {
            connector: connector.manifest.name,
            card: request.params.card,
          });
        return cardView(card, true);
      },
    );

    app.post<{ Body: OptionsBody }>(
      '/options',
      {
        schema: {
          summary:
            'Choices for a dynamic dropdown (x-options), listed by running the options card with a configuration',
          body: optionsBodySchema,
          response: { 200: optionsAnswerSchema, ...errorResponses(400, 401, 403, 404, 502, 503) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const card = registry.forWorkspace(principal.workspace.id).requireCard(request.body.card);
        const options = card.spec.options;
        if (!options) throw apiError('FLOWCARD_ERR_CARD_NOT_OPTIONS', { card: card.ref });
        if (!configurations)
          throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'Saved configurations' });
        const configuration = await configurations.findById(request.body.configurationId);
        // Unknown and not-usable answer the same, so ids of other people's configurations leak nothing.
        if (!configuration || !mayUseConfiguration(configuration, principal) || !fits(configuration, card)) {
          throw apiError('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND', { id: request.body.configurationId });
        }
        const secrets = configuration.secrets ? sealer.open(configuration.secrets) : {};
        const result = await executor.execute({
          card,
          configuration: { id: configuration.id, values: configuration.values, secrets },
          input: request.body.input ?? {},
        });
        const items = Array.isArray(result.output) ? result.output : [];
        return {
          options: items.map((item) => ({
            label: String(renderTemplate(options.label, { item }) ?? ''),
            value: String(renderTemplate(options.value, { item }) ?? ''),
          })),
        };
      },
    );
  },
});

function byName(registry: WorkspaceConnectors): LoadedConnector[][] {
  const groups = new Map<string, LoadedConnector[]>();
  for (const connector of registry.list()) {
    const list = groups.get(connector.manifest.name) ?? [];
    list.push(connector);
    groups.set(connector.manifest.name, list);
  }
  return [...groups.values()];
}

function findConnector(
  registry: WorkspaceConnectors,
  name: string,
  major: number | undefined,
): { majors: LoadedConnector[]; connector: LoadedConnector } {
  const majors = registry.list().filter((connector) => connector.manifest.name === name);
  const connector = registry.get(name, major);
  if (!connector)
    throw apiError('FLOWCARD_ERR_CONNECTOR_NOT_FOUND', {
      name: major === undefined ? name : `${name}@${major}`,
    });
  return { majors, connector };
}

/** A configuration of another connector or kind would send the wrong credentials to the wrong host. */
function fits(configuration: { connector: string; kind: string }, card: LoadedCard): boolean {
  return (
    configuration.connector === card.connector.manifest.name && configuration.kind === card.configurationKey
  );
}
