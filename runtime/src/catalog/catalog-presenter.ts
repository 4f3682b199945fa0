import type { LoadedCard, LoadedConnector } from '@flowcard/engine';
import type { ConfigurationKindSpec, LifecycleSpec } from '@flowcard/schemas';

export interface LifecycleView extends LifecycleSpec {
  /** One sentence a catalog shows as is: what state the connector is in, with dates. */
  readonly notice: string;
}

export interface ConnectorSummaryView {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly homepage?: string;
  readonly version: string;
  readonly major: number;
  /** One per major this runtime runs; each major carries its own lifecycle (it may be set per version). */
  readonly versions: ReadonlyArray<{
    readonly version: string;
    readonly major: number;
    readonly lifecycle: LifecycleView;
  }>;
  readonly lifecycle: LifecycleView;
  readonly cardCount: number;
}

/**
 * Turns loaded connectors into what the catalog API answers. A lifecycle is the manifest's, or the
 * one set on that exact version since it was published (hot-loaded into the registry). The one rule that matters: nothing a
 * secret field could carry (a default, an example) leaves this file.
 */
export function connectorSummary(majors: readonly LoadedConnector[]): ConnectorSummaryView {
  const newest = majors[majors.length - 1]!;
  const { manifest } = newest;
  return {
    name: manifest.name,
    title: manifest.title,
    description: manifest.description,
    ...(manifest.homepage ? { homepage: manifest.homepage } : {}),
    version: manifest.version,
    major: newest.major,
    versions: majors.map((connector) => ({
      version: connector.manifest.version,
      major: connector.major,
      lifecycle: lifecycleView(connector.manifest.title, connector.manifest.lifecycle),
    })),
    lifecycle: lifecycleView(manifest.title, manifest.lifecycle),
    cardCount: newest.cards.size,
  };
}

export function connectorDetail(
  majors: readonly LoadedConnector[],
  connector: LoadedConnector,
): Record<string, unknown> {
  return {
    ...connectorSummary(majors),
    version: connector.manifest.version,
    major: connector.major,
    // The major asked for, not the newest: a sunset 1.x beside an active 2.x must say so.
    lifecycle: lifecycleView(connector.manifest.title, connector.manifest.lifecycle),
    configurations: Object.entries(connector.manifest.configurations).map(([key, kind]) =>
      configurationKindView(key, kind),
    ),
    cards: [...connector.cards.values()].map((card) => cardView(card, false)),
  };
}

export function cardView(card: LoadedCard, withExamples: boolean): Record<string, unknown> {
  const { spec } = card;
  return {
    key: spec.key,
    ref: card.ref,
    kind: spec.kind,
    ...(spec.trigger ? { triggerType: spec.trigger.type } : {}),
    title: spec.title,
    description: spec.description,
    configuration: card.configurationKey,
    permissions: spec.permissions ?? [],
    input: spec.input,
    output: spec.output,
    ...(spec.options ? { listsOptions: true } : {}),
    ...(withExamples && spec.examples ? { examples: spec.examples } : {}),
  };
}

const valueKeywords = new Set(['default', 'examples', 'example', 'const', 'enum']);

function configurationKindView(key: string, kind: ConfigurationKindSpec): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const secretFields: string[] = [];
  for (const [field, schema] of Object.entries(kind.schema.properties)) {
    if (schema['x-secret']) {
      secretFields.push(field);
      // A secret field is described, never pre-filled: drop anything that could hold a value.
      properties[field] = Object.fromEntries(
        Object.entries(schema).filter(([keyword]) => !valueKeywords.has(keyword)),
      );
    } else {
      properties[field] = schema;
    }
  }
  const auth = kind.auth;
  return {
    key,
    title: kind.title,
    ...(kind.description ? { description: kind.description } : {}),
    auth: {
      kind: auth.kind,
      ...(auth.kind === 'oauth2' ? { provider: auth.provider, scopes: auth.scopes } : {}),
    },
    requiresRole: kind.requiresRole ?? 'member',
    schema: { ...kind.schema, properties },
    secretFields,
    ...(kind.test ? { testCard: kind.test.card } : {}),
  };
}

function lifecycleView(title: string, lifecycle: LifecycleSpec): LifecycleView {
  return { ...lifecycle, notice: lifecycleNotice(title, lifecycle) };
}

function lifecycleNotice(title: string, lifecycle: LifecycleSpec): string {
  const replaced = lifecycle.replacedBy ? ` Use ${lifecycle.replacedBy} instead.` : '';
  if (lifecycle.status === 'sunset') {
    // A sunset may be announced ahead of its dates: the tense follows the calendar.
    const readOnly = lifecycle.readOnlyAt
      ? ` It ${isPast(lifecycle.readOnlyAt) ? 'went' : 'goes'} read-only on ${lifecycle.readOnlyAt}.`
      : '';
    const shut = lifecycle.sunsetAt
      ? `${title} is sunset: the service ${isPast(lifecycle.sunsetAt) ? 'shut down' : 'shuts down'} on ${lifecycle.sunsetAt}.`
      : `${title} is sunset.`;
    return `${shut}${readOnly}${replaced}`;
  }
  if (lifecycle.status === 'deprecated') {
    return `${title} is deprecated${lifecycle.deprecatedAt ? ` since ${lifecycle.deprecatedAt}` : ''}: it still works, but plan to move away.${replaced}`;
  }
  return `${title} is active.`;
}

const isPast = (date: string): boolean => new Date(date).getTime() <= Date.now();
