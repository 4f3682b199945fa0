import type { CardSpec, ConnectorManifestSpec } from '@flowcard/schemas';
import { compareConnectorVersions, type ConnectorVersionContent } from './compare-connector-versions';
import { formatSchemaChange } from './schema-change';
import { formatBreakingChangeRefusal } from './breaking-change-refusal';

const manifest = (): ConnectorManifestSpec => ({
  name: 'pages',
  version: '1.0.0',
  title: 'Pages',
  description: 'Pages.',
  lifecycle: { status: 'active' },
  configurations: {
    default: {
      title: 'Page',
      auth: { kind: 'bearer', tokenField: 'accessToken' },
      baseUrl: '{{config.baseUrl}}',
      schema: {
        type: 'object',
        required: ['accessToken'],
        properties: {
          accessToken: { type: 'string', 'x-secret': true },
          baseUrl: { type: 'string' },
        },
      },
    },
  },
});

const createPost = (): CardSpec => ({
  key: 'create-post',
  kind: 'action',
  title: 'Create a post',
  description: 'Publishes a post.',
  input: {
    type: 'object',
    required: ['message'],
    properties: {
      message: { type: 'string', minLength: 1, maxLength: 500 },
      link: { type: 'string' },
      visibility: { type: 'string', enum: ['public', 'friends'] },
      count: { type: 'integer' },
    },
  },
  output: {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string' },
      status: { type: 'string', enum: ['published', 'scheduled'] },
      created_time: { type: 'string' },
      comments: {
        type: 'array',
        items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      },
    },
  },
  request: { method: 'POST', path: '/me/feed', body: { message: '{{input.message}}' } },
});

const listPages = (): CardSpec => ({
  key: 'list-pages',
  kind: 'action',
  title: 'List pages',
  description: 'Lists pages.',
  input: { type: 'object', properties: {} },
  output: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
  request: { method: 'GET', path: '/me/accounts' },
});

interface Version {
  manifest: ConnectorManifestSpec;
  cards: CardSpec[];
}
// Tests reach deep into schemas by hand; a loose JSON type keeps each row a one-liner.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Edit = (
  version: Version,
  card: CardSpec & { input: { properties: Record<string, Record<string, unknown>> }; output: Loose },
) => void;

interface Row {
  change: string;
  before?: Edit;
  after: Edit;
  breaking?: string[];
  additive?: string[];
}

const IN = 'cards/create-post.json: /input/properties';
const OUT = 'cards/create-post.json: /output/properties';
const CONFIG = 'connector.json: /configurations/default';

const rows: Row[] = [
  // inputs: the new version must accept everything the old one accepted
  {
    change: 'a new required input',
    after: (_v, c) => ((c.input.properties.pageId = { type: 'string' }), c.input.required!.push('pageId')),
    breaking: [`${IN}/pageId: new required input "pageId"`],
  },
  {
    change: 'a new optional input',
    after: (_v, c) => (c.input.properties.pageId = { type: 'string' }),
    additive: [`${IN}/pageId: new optional input "pageId"`],
  },
  {
    change: 'an input property removed',
    after: (_v, c) => delete c.input.properties.link,
    breaking: [`${IN}/link: input "link" removed`],
  },
  {
    change: 'an input retyped',
    after: (_v, c) => (c.input.properties.link = { type: 'number' }),
    breaking: [`${IN}/link: input "link" retyped from string to number`],
  },
  {
    change: 'an input widened to null',
    after: (_v, c) => (c.input.properties.link = { type: ['string', 'null'] }),
    additive: [`${IN}/link: input "link" now also accepts null`],
  },
  {
    change: 'an integer input widened to number',
    after: (_v, c) => (c.input.properties.count = { type: 'number' }),
    additive: [`${IN}/count: input "count" now also accepts number`],
  },
  {
    change: 'an optional input made required',
    after: (_v, c) => c.input.required!.push('link'),
    breaking: [`${IN}/link: input "link" is now required`],
  },
  {
    change: 'a required input made optional',
    after: (_v, c) => (c.input.required = []),
    additive: [`${IN}/message: input "message" is no longer required`],
  },
  {
    change: 'an input enum narrowed',
    after: (_v, c) => (c.input.properties.visibility.enum = ['public']),
    breaking: [`${IN}/visibility: input "visibility" enum narrowed: "friends" removed`],
  },
  {
    change: 'an input enum widened',
    after: (_v, c) => (c.input.properties.visibility.enum = ['public', 'friends', 'only_me']),
    additive: [`${IN}/visibility: input "visibility" enum widened: "only_me" added`],
  },
  {
    change: 'an enum put on a free input',
    after: (_v, c) => (c.input.properties.link.enum = ['a']),
    breaking: [`${IN}/link: input "link" is now limited to "a"`],
  },
  {
    change: 'an input maxLength lowered',
    after: (_v, c) => (c.input.properties.message.maxLength = 100),
    breaking: [`${IN}/message: input "message" maxLength changed from 500 to 100`],
  },
  {
    change: 'an input minLength lowered',
    after: (_v, c) => delete c.input.properties.message.minLength,
    additive: [`${IN}/message: input "message" no longer has minLength 1`],
  },
  {
    change: 'a pattern put on an input',
    after: (_v, c) => (c.input.properties.link.pattern = '^https://'),
    breaking: [`${IN}/link: input "link" now has pattern ^https://`],
  },
  {
    change: 'an input closed to undeclared properties',
    after: (_v, c) => (c.input.additionalProperties = false),
    breaking: ['cards/create-post.json: /input: input no longer accepts properties it does not declare'],
  },
  // outputs: the new version must not produce anything flows were promised they would not see
  {
    change: 'an output field removed',
    after: (_v, c) => delete c.output.properties.created_time,
    breaking: [`${OUT}/created_time: output field "created_time" removed`],
  },
  {
    change: 'an output field retyped',
    after: (_v, c) => (c.output.properties.id = { type: 'integer' }),
    breaking: [`${OUT}/id: output field "id" retyped from string to integer`],
  },
  {
    change: 'an output field that may now be null',
    after: (_v, c) => (c.output.properties.id = { type: ['string', 'null'] }),
    breaking: [`${OUT}/id: output field "id" may now be null`],
  },
  {
    change: 'an output field no longer always present',
    after: (_v, c) => (c.output.required = []),
    breaking: [`${OUT}/id: output field "id" is no longer always present`],
  },
  {
    change: 'an output field made always present',
    after: (_v, c) => c.output.required.push('status'),
    additive: [`${OUT}/status: output field "status" is now always present`],
  },
  {
    change: 'a new output field',
    after: (_v, c) => (c.output.properties.permalink = { type: 'string' }),
    additive: [`${OUT}/permalink: new output field "permalink"`],
  },
  {
    change: 'an output enum narrowed',
    after: (_v, c) => (c.output.properties.status.enum = ['published']),
    breaking: [`${OUT}/status: output field "status" enum narrowed: "scheduled" removed`],
  },
  {
    change: 'an output enum widened',
    after: (_v, c) => c.output.properties.status.enum.push('draft'),
    additive: [`${OUT}/status: output field "status" enum widened: "draft" added`],
  },
  {
    change: 'a field removed inside an output array',
    after: (_v, c) => (c.output.properties.comments.items = { type: 'object', properties: {} }),
    breaking: [`${OUT}/comments/items/properties/id: output field "comments[].id" removed`],
  },
  {
    change: 'the whole output retyped',
    after: (_v, c) => (c.output = { type: 'array', items: {} }),
    breaking: ['cards/create-post.json: /output: output retyped from object to array'],
  },
  {
    change: 'a field removed behind a $ref',
    before: (_v, c) => (
      (c.output.definitions = { post: { type: 'object', properties: { id: { type: 'string' } } } }),
      (c.output.properties.post = { $ref: '#/definitions/post' })
    ),
    after: (_v, c) => (
      (c.output.definitions = { post: { type: 'object', properties: {} } }),
      (c.output.properties.post = { $ref: '#/definitions/post' })
    ),
    breaking: [`${OUT}/post/properties/id: output field "post.id" removed`],
  },
  {
    change: 'a oneOf changed (not provable)',
    before: (_v, c) => (c.input.properties.link.oneOf = [{ format: 'uri' }]),
    after: (_v, c) => (c.input.properties.link.oneOf = [{ format: 'email' }]),
    breaking: [`${IN}/link/oneOf: input "link" oneOf changed, which this check cannot prove compatible`],
  },
  {
    change: 'only titles, descriptions, examples and the request',
    after: (_v, c) => (
      (c.title = 'Post'),
      (c.input.properties.message.description = 'Text'),
      (c.examples = [{ input: { message: 'x' } }]),
      (c.request = { method: 'POST', path: '/v2/feed' })
    ),
  },
  // cards
  {
    change: 'a removed card',
    after: (v) => v.cards.splice(1, 1),
    breaking: ['cards/list-pages.json: card "list-pages" removed'],
  },
  {
    change: 'a new card',
    after: (v) => v.cards.push({ ...listPages(), key: 'list-groups' }),
    additive: ['cards/list-groups.json: new card "list-groups"'],
  },
  {
    change: 'a card whose kind changed',
    after: (_v, c) =>
      Object.assign(c, {
        kind: 'trigger',
        request: undefined,
        trigger: {
          type: 'polling',
          dedupeKey: '{{item.id}}',
          polling: { request: { method: 'GET', path: '/feed' } },
        },
      }),
    breaking: ['cards/create-post.json: /kind: card kind changed from action to trigger'],
  },
  // configuration
  {
    change: 'a card moved to another configuration kind',
    after: (v, c) => (
      (v.manifest.configurations.page = { ...v.manifest.configurations.default }),
      (c.configuration = 'page'),
      (v.cards[1].configuration = 'default')
    ),
    breaking: [
      'cards/create-post.json: /configuration: card uses configuration kind "page" instead of "default"',
    ],
    additive: ['connector.json: /configurations/page: new configuration kind "page"'],
  },
  {
    change: 'a new required secret configuration field',
    after: (v) => {
      const schema = v.manifest.configurations.default.schema;
      schema.properties.appSecret = { type: 'string', 'x-secret': true };
      schema.required!.push('appSecret');
    },
    breaking: [`${CONFIG}/schema/properties/appSecret: new required configuration field "appSecret"`],
  },
  {
    change: 'a new optional configuration field',
    after: (v) => (v.manifest.configurations.default.schema.properties.timeout = { type: 'integer' }),
    additive: [`${CONFIG}/schema/properties/timeout: new optional configuration field "timeout"`],
  },
  {
    change: 'a configuration field made secret',
    after: (v) => (v.manifest.configurations.default.schema.properties.baseUrl['x-secret'] = true),
    breaking: [`${CONFIG}/schema/properties/baseUrl: configuration field "baseUrl" is now secret`],
  },
  {
    change: 'an auth kind changed',
    after: (v) =>
      (v.manifest.configurations.default.auth = {
        kind: 'oauth2',
        provider: 'meta',
        scopes: ['pages_show_list'],
        tokenField: 'accessToken',
      }),
    breaking: [`${CONFIG}/auth/kind: configuration kind "default" auth changed from bearer to oauth2`],
  },
  {
    change: 'a token field renamed',
    after: (v) => (v.manifest.configurations.default.auth = { kind: 'bearer', tokenField: 'token' }),
    breaking: [
      `${CONFIG}/auth/tokenField: configuration kind "default" tokenField changed from "accessToken" to "token"`,
    ],
  },
  {
    change: 'an OAuth scope added',
    before: (v) =>
      (v.manifest.configurations.default.auth = {
        kind: 'oauth2',
        provider: 'meta',
        scopes: ['pages_show_list'],
        tokenField: 'accessToken',
      }),
    after: (v) =>
      (v.manifest.configurations.default.auth = {
        kind: 'oauth2',
        provider: 'meta',
        scopes: ['pages_show_list', 'pages_manage_posts'],
        tokenField: 'accessToken',
      }),
    breaking: [`${CONFIG}/auth/scopes: configuration kind "default" now asks for scope pages_manage_posts`],
  },
  {
    change: 'a configuration kind removed',
    before: (v) => (
      (v.manifest.configurations.page = { ...v.manifest.configurations.default }),
      v.cards.forEach((card) => (card.configuration = 'default'))
    ),
    after: (v) => delete v.manifest.configurations.page,
    breaking: ['connector.json: /configurations/page: configuration kind "page" removed'],
  },
];

function version(edit?: Edit): ConnectorVersionContent {
  const v: Version = { manifest: manifest(), cards: [createPost(), listPages()] };
  edit?.(v, v.cards[0] as Parameters<Edit>[1]);
  return v;
}

describe('compareConnectorVersions', () => {
  it.each(rows)('reports $change', (row) => {
    const report = compareConnectorVersions(
      version(row.before),
      version((v, c) => (row.before?.(v, c), row.after(v, c))),
    );
    expect({
      breaking: report.breaking.map(formatSchemaChange),
      additive: report.additive.map(formatSchemaChange),
    }).toEqual({
      breaking: row.breaking ?? [],
      additive: row.additive ?? [],
    });
  });

  it('names the card of every card change', () => {
    const report = compareConnectorVersions(
      version(),
      version((v, c) => (delete c.output.properties.status, v.cards.splice(1, 1))),
    );
    expect(report.breaking.map((change) => change.card)).toEqual(['create-post', 'list-pages']);
  });

  it('treats a required output field that lost its schema as one that may now be anything', () => {
    const report = compareConnectorVersions(
      version(),
      version((_v, c) => delete c.output.properties.id),
    );
    expect(report.breaking.map(formatSchemaChange)).toEqual([
      `${OUT}/id: output field "id" may now be any type (was string)`,
    ]);
  });

  it('finds nothing between a version and itself', () => {
    expect(compareConnectorVersions(version(), version())).toEqual({ breaking: [], additive: [] });
  });

  it('terminates on recursive schemas', () => {
    const recursive: Edit = (_v, c) => {
      c.output.definitions = {
        node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } },
      };
      c.output.properties.tree = { $ref: '#/definitions/node' };
    };
    expect(compareConnectorVersions(version(recursive), version(recursive)).breaking).toEqual([]);
  });
});

describe('formatBreakingChangeRefusal', () => {
  it('says to bump the major and lists each breaking change on its own line', () => {
    const report = compareConnectorVersions(
      version(),
      version((v, c) => (delete c.input.properties.link, v.cards.splice(1, 1))),
    );
    expect(formatBreakingChangeRefusal(report)).toBe(
      [
        'breaking change: bump the major version',
        '  - cards/create-post.json: /input/properties/link: input "link" removed',
        '  - cards/list-pages.json: card "list-pages" removed',
      ].join('\n'),
    );
  });
});
