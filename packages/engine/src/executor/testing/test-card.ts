import type { CardSpec, ConfigurationKindSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import type { LoadedCard, LoadedConnector } from '../../registry/loaded-connector';
import { createAjv } from '../../validation/create-ajv';

const ajv = createAjv();

/**
 * Builds a LoadedCard the way the loader does (validators compiled with the shared ajv), without
 * files on disk: lets executor tests state a card inline. `dir` is where handlers resolve.
 */
export function testCard(
  spec: Partial<CardSpec> & Pick<CardSpec, 'key'>,
  kind: Partial<ConfigurationKindSpec> = {},
  dir = __dirname,
): LoadedCard {
  const full: CardSpec = {
    kind: 'action',
    title: spec.key,
    description: spec.key,
    input: { type: 'object', properties: {} },
    output: {},
    ...spec,
  } as CardSpec;
  const configurationKind: ConfigurationKindSpec = {
    title: 'Test',
    auth: { kind: 'bearer', tokenField: 'accessToken' },
    baseUrl: '{{config.baseUrl}}',
    schema: {
      type: 'object',
      properties: { baseUrl: { type: 'string' }, accessToken: { type: 'string', 'x-secret': true } } as never,
    },
    ...kind,
  };
  const manifest: ConnectorManifestSpec = {
    name: 'test',
    version: '1.0.0',
    title: 'Test',
    description: 'Test connector',
    lifecycle: { status: 'active' },
    configurations: { default: configurationKind },
  };
  const cards = new Map<string, LoadedCard>();
  const connector: LoadedConnector = { manifest, dir, major: 1, cards };
  const card: LoadedCard = {
    spec: full,
    ref: `test/${full.key}@1`,
    connector,
    configurationKey: 'default',
    configurationKind,
    validateInput: ajv.compile(full.input),
    validateOutput: ajv.compile(full.output),
    ...(full.handler ? { handlerPath: `${dir}/${full.handler}` } : {}),
  };
  cards.set(full.key, card);
  return card;
}
