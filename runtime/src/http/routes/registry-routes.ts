import {
  FlowcardError,
  formatSchemaChange,
  publishingCodes,
  publishPackedConnector,
  setConnectorLifecycle,
  type ConnectorRegistry,
  type InstalledConnectorVersion,
  type RegistryEntry,
} from '@flowcard/engine';
import { connectorSchema, type LifecycleSpec } from '@flowcard/schemas';
import { Ports } from '../../container/port-tokens';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { isDeploymentOperator, operatorDescription } from '../auth/deployment-operator';
import { principalOf, requireRole } from '../auth/install-authentication';
import type { Principal } from '../auth/principal';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

/** A bundle holds handler sources; 10 MB leaves room for large ones while refusing accidents. */
const BUNDLE_LIMIT_BYTES = 10 * 1024 * 1024;

const bundleBody = {
  type: 'object',
  description: 'A bundle as written by `flowcard connector pack` (format flowcard-connector-bundle/1).',
  required: ['format', 'name', 'version', 'manifest', 'cards', 'handlers', 'contentHash'],
  properties: {
    format: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    manifest: { type: 'object', additionalProperties: true },
    cards: { type: 'array', items: { type: 'object', additionalProperties: true } },
    handlers: { type: 'array', items: { type: 'object', additionalProperties: true } },
    contentHash: { type: 'string' },
  },
} as const;

const scopeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scope: {
      type: 'string',
      enum: ['workspace', 'deployment'],
      default: 'workspace',
      description:
        "workspace (default): only the caller's workspace sees and runs the connector; a workspace admin may publish. deployment: every workspace sees it; only the deployment operator may publish.",
    },
  },
} as const;

type Scope = 'workspace' | 'deployment';

const publishAnswer = {
  type: 'object',
  required: ['status', 'name', 'version', 'major', 'contentHash', 'additive', 'scope'],
  properties: {
    status: { type: 'string', enum: ['published', 'unchanged'] },
    scope: { type: 'string', enum: ['workspace', 'deployment'] },
    name: { type: 'string' },
    version: { type: 'string' },
    major: { type: 'integer' },
    contentHash: { type: 'string' },
    comparedWith: { type: 'string', description: 'The version the schemas were compared with' },
    additive: { type: 'array', items: { type: 'string' }, description: 'Compatible changes, one line each' },
  },
} as const;

const versionList = {
  type: 'object',
  required: ['name', 'versions'],
  properties: {
    name: { type: 'string' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'string' },
          major: { type: 'integer' },
          contentHash: { type: 'string' },
          lifecycle: { type: 'string' },
          lifecycleChangedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the lifecycle was last set after publishing',
          },
          publishedAt: { type: 'string', format: 'date-time' },
          scope: { type: 'string', enum: ['workspace', 'deployment'] },
          running: { type: 'boolean', description: 'This process runs this version for its major' },
        },
      },
    },
  },
} as const;

/** The manifest schema's own LifecycleSpec: a lifecycle set later obeys the rules of one written in connector.json. */
const lifecycleBody = connectorSchema.definitions.lifecycle;

const lifecycleAnswer = {
  type: 'object',
  required: ['name', 'version', 'major', 'lifecycle', 'lifecycleChangedAt'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    major: { type: 'integer' },
    lifecycle: { type: 'object', additionalProperties: true, description: 'The LifecycleSpec now stored' },
    lifecycleChangedAt: { type: 'string', format: 'date-time' },
    runningVersion: {
      type: 'string',
      description:
        'The version this runtime runs for that major; the catalog shows its lifecycle, so when it differs from version the catalog does not change',
    },
  },
} as const;

const versionParams = {
  type: 'object',
  required: ['name', 'version'],
  properties: { name: { type: 'string' }, version: { type: 'string' } },
} as const;

/**
 * The connector registry: admins publish versioned bundles (`flowcard connector publish`); the
 * runtime checks them (content hash, loads, same version never with other content, newer than the
 * latest of its major, no breaking schema change without a major bump), stores them, and installs
 * them into this process at once; other processes pick them up by polling (PublishedConnectorLoader).
 * Admins also set the lifecycle of a published version (deprecated, sunset, active again); the
 * catalog of every process shows it within one poll.
 */
export const registryRoutes = defineRouteModule({
  name: 'registry',
  description: 'Publish connector versions without a restart',
  prefix: '/v1/registry',
  dependencies: {
    registry: Ports.connectors,
    loader: Ports.publishedConnectors,
    config: RuntimeTokens.config,
  },
  optional: { repository: Ports.connectorRegistry, workspaces: Ports.workspaces },
  register(app, { registry, loader, config, repository, workspaces }) {
    const isOperator = (principal: Principal): Promise<boolean> =>
      isDeploymentOperator(principal, config.operators, workspaces);
    const refuseUnlessOperator = async (principal: Principal, action: string): Promise<void> => {
      if (!(await isOperator(principal)))
        throw apiError('FLOWCARD_ERR_OPERATOR_REQUIRED', {
          action,
          who: operatorDescription(config.operators),
        });
    };

    app.post<{ Body: unknown; Querystring: { scope: Scope } }>(
      '/connectors',
      {
        bodyLimit: BUNDLE_LIMIT_BYTES,
        preHandler: requireRole('admin'),
        schema: {
          summary:
            "Publish a connector version: to the caller's workspace (admin), or with scope=deployment to every workspace (deployment operator)",
          querystring: scopeQuery,
          body: bundleBody,
          response: {
            200: publishAnswer,
            201: publishAnswer,
            ...errorResponses(400, 401, 403, 409, 422, 503),
          },
        },
      },
      async (request, reply) => {
        if (!repository)
          throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'The connector registry' });
        const principal = principalOf(request);
        const scope = request.query.scope;
        if (scope === 'deployment')
          await refuseUnlessOperator(principal, 'install connectors for every workspace');
        const workspaceId = scope === 'deployment' ? null : principal.workspace.id;
        const running = runningName(registry, request.body);
        const outcome = await publishPackedConnector({
          bundle: request.body,
          repository,
          publishedBy: principal.user.id,
          workspaceId,
          ...(running ? { nameInUse: { workspaceId: running.workspaceId } } : {}),
          // Only a version of the same scope is a baseline; another scope's name is refused anyway.
          installed:
            running && running.workspaceId === workspaceId
              ? installedVersion(registry, request.body)
              : undefined,
        });
        const installed = await loader.installNow(outcome.entry);
        const { entry } = outcome;
        request.log.info(
          {
            connector: entry.name,
            version: entry.version,
            status: outcome.status,
            running: Boolean(installed.connector),
            userId: principal.user.id,
          },
          `connector ${entry.name}@${entry.version} ${outcome.status}`,
        );
        return reply.status(outcome.status === 'published' ? 201 : 200).send({
          status: outcome.status,
          scope: entry.workspaceId === null ? 'deployment' : 'workspace',
          name: entry.name,
          version: entry.version,
          major: entry.major,
          contentHash: entry.contentHash,
          ...(outcome.comparedWith ? { comparedWith: outcome.comparedWith } : {}),
          additive: outcome.additive.map(formatSchemaChange),
        });
      },
    );

    app.post<{ Params: { name: string; version: string }; Body: LifecycleSpec }>(
      '/connectors/:name/versions/:version/lifecycle',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary:
            "Deprecate, sunset or reactivate a published connector version (an admin of the connector's workspace; the deployment operator for a deployment connector)",
          params: versionParams,
          body: lifecycleBody,
          response: { 200: lifecycleAnswer, ...errorResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request) => {
        if (!repository)
          throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'The connector registry' });
        const { name, version } = request.params;
        const principal = principalOf(request);
        const target = await repository.find(name, version);
        // Another workspace's connector answers exactly like one never published.
        if (!target || (target.workspaceId !== null && target.workspaceId !== principal.workspace.id))
          throw new FlowcardError(publishingCodes.FLOWCARD_ERR_REGISTRY_VERSION_NOT_FOUND, { name, version });
        if (target.workspaceId === null)
          await refuseUnlessOperator(
            principal,
            'change the lifecycle of a connector installed for every workspace',
          );
        const { entry, runningVersion } = await setConnectorLifecycle({
          repository,
          registry,
          name,
          version,
          lifecycle: request.body,
        });
        request.log.info(
          { connector: name, version, lifecycle: entry.lifecycle, userId: principalOf(request).user.id },
          `connector ${name}@${version} lifecycle set to ${entry.lifecycle}`,
        );
        return {
          name,
          version,
          major: entry.major,
          lifecycle: entry.lifecycleOverride,
          lifecycleChangedAt: (entry.lifecycleChangedAt as Date).toISOString(),
          ...(runningVersion === undefined ? {} : { runningVersion }),
        };
      },
    );

    app.get<{ Params: { name: string } }>(
      '/connectors/:name',
      {
        schema: {
          summary: 'Published versions of a connector, highest first',
          params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          response: { 200: versionList, ...errorResponses(401, 503) },
        },
      },
      async (request) => {
        if (!repository)
          throw apiError('FLOWCARD_ERR_SERVICE_UNAVAILABLE', { what: 'The connector registry' });
        const workspaceId = principalOf(request).workspace.id;
        // Another workspace's connector lists no versions, like a name never published.
        const entries = (await repository.listVersions(request.params.name)).filter(
          (entry) => entry.workspaceId === null || entry.workspaceId === workspaceId,
        );
        return { name: request.params.name, versions: entries.map((entry) => versionView(entry, registry)) };
      },
    );
  },
});

/** The connector this process runs under the bundle's name, and whose it is (null: the deployment's). */
function runningName(registry: ConnectorRegistry, body: unknown): { workspaceId: string | null } | undefined {
  const { name } = (body ?? {}) as { name?: unknown };
  if (typeof name !== 'string' || !registry.get(name)) return undefined;
  return { workspaceId: registry.workspaceOf(name) ?? null };
}

/** The version this process runs in the bundle's major (it may come from disk, not the registry). */
function installedVersion(registry: ConnectorRegistry, body: unknown): InstalledConnectorVersion | undefined {
  const { name, version } = (body ?? {}) as { name?: unknown; version?: unknown };
  if (typeof name !== 'string' || typeof version !== 'string') return undefined;
  const major = Number(version.split('.')[0]);
  const connector = registry.get(name, major);
  if (!connector) return undefined;
  return {
    version: connector.manifest.version,
    manifest: connector.manifest,
    cards: [...connector.cards.values()].map((card) => card.spec),
  };
}

function versionView(entry: RegistryEntry, registry: ConnectorRegistry): Record<string, unknown> {
  return {
    version: entry.version,
    major: entry.major,
    contentHash: entry.contentHash,
    lifecycle: entry.lifecycle,
    ...(entry.lifecycleChangedAt ? { lifecycleChangedAt: entry.lifecycleChangedAt.toISOString() } : {}),
    publishedAt: entry.publishedAt.toISOString(),
    scope: entry.workspaceId === null ? 'deployment' : 'workspace',
    running: registry.get(entry.name, entry.major)?.manifest.version === entry.version,
  };
}
