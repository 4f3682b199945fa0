import { join } from 'node:path';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { loadConnector } from './load-connector';
import { formatManifestProblem } from './manifest-problem';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

async function problemLines(fixture: string): Promise<string[]> {
  const result = await loadConnector(join(fixtures, fixture));
  expect(result.connector).toBeUndefined();
  return result.problems.map(formatManifestProblem);
}

async function problemCodes(fixture: string): Promise<string[]> {
  return (await loadConnector(join(fixtures, fixture))).problems.map((problem) => problem.code);
}

describe('loadConnector', () => {
  describe('with the valid sample connector', () => {
    it('loads the manifest, both cards and no problem', async () => {
      const { connector, problems } = await loadConnector(join(fixtures, 'sample'));
      expect(problems).toEqual([]);
      expect(connector?.manifest.name).toBe('sample');
      expect(connector?.major).toBe(1);
      expect(connector?.dir).toBe(join(fixtures, 'sample'));
      expect([...(connector?.cards.keys() ?? [])]).toEqual(['echo', 'shout']);
    });

    it('gives each card its reference, configuration kind and compiled validators', async () => {
      const { connector } = await loadConnector(join(fixtures, 'sample'));
      const echo = connector?.cards.get('echo');
      expect(echo?.ref).toBe('sample/echo@1');
      expect(echo?.connector).toBe(connector);
      expect(echo?.configurationKey).toBe('default');
      expect(echo?.configurationKind.baseUrl).toBe('{{config.baseUrl}}');
      expect(echo?.validateInput({ message: 'hi' })).toBe(true);
      expect(echo?.validateInput({ count: 1 })).toBe(false);
      expect(echo?.validateOutput({ message: 'hi' })).toBe(true);
      expect(echo?.handlerPath).toBeUndefined();
    });

    it('resolves a handler card to the absolute path of its module', async () => {
      const { connector } = await loadConnector(join(fixtures, 'sample'));
      expect(connector?.cards.get('shout')?.handlerPath).toBe(
        join(fixtures, 'sample', 'handlers', 'shout.ts'),
      );
    });

    it('names files after the label it is given, e.g. an npm package name', async () => {
      const { problems } = await loadConnector(join(fixtures, 'broken-key-mismatch'), { label: '@acme/crm' });
      expect(problems[0].file).toBe('@acme/crm/cards/echo.json');
    });
  });

  it('reports a folder without connector.json', async () => {
    expect(await problemLines('broken-missing-manifest')).toEqual([
      'broken-missing-manifest: no connector manifest: broken-missing-manifest/connector.json does not exist. Create connector.json (see schemas/connector.schema.json), or remove the folder from the connectors directory',
    ]);
  });

  it('reports invalid JSON with its line and column', async () => {
    expect(await problemLines('broken-json-syntax')).toEqual([
      'broken-json-syntax/cards/echo.json: invalid JSON at line 5, column 1: trailing comma before }. Fix the JSON syntax (double-quoted names and strings, no trailing commas, no comments)',
    ]);
  });

  it('reports each schema violation of connector.json once, with a hint, and only the intended auth kind', async () => {
    expect(await problemLines('broken-manifest-schema')).toEqual([
      'broken-manifest-schema/connector.json: /colour: does not match the connector schema: unknown property "colour". Remove it or fix its spelling; allowed here: $schema, name, version, title, description, homepage, lifecycle, configurations',
      'broken-manifest-schema/connector.json: /name: does not match the connector schema: "Json Syntax" does not match the pattern ^[a-z][a-z0-9]*(-[a-z0-9]+)*$. Expected: Unique connector name: lower-case words joined by dashes. Cards are referenced as <name>/<card>@<major>',
      'broken-manifest-schema/connector.json: /homepage: does not match the connector schema: "not a url" is not a valid uri. Write a valid uri (absolute URL, e.g. https://example.com/docs)',
      'broken-manifest-schema/connector.json: /lifecycle: does not match the connector schema: missing required property "message". Add "message"',
      'broken-manifest-schema/connector.json: /configurations/default/auth: does not match the connector schema: missing required property "tokenField". Add "tokenField" (Configuration field (x-secret) holding the token)',
    ]);
  });

  it('reports schema violations of a card, naming a request that also has a handler', async () => {
    expect(await problemLines('broken-card-schema')).toEqual([
      'broken-card-schema/cards/echo.json: does not match the card schema: has more than one of "request", "handler". Keep only one of them',
      'broken-card-schema/cards/echo.json: /request/timeout: does not match the card schema: unknown property "timeout". Remove it or fix its spelling; allowed here: method, path, query, headers, body, bodyType, auth, paginate, output',
      'broken-card-schema/cards/echo.json: /request/method: does not match the card schema: "FETCH" is not allowed here. Use one of: "GET", "POST", "PUT", "PATCH", "DELETE"',
    ]);
  });

  it('reports a card whose key differs from its file name', async () => {
    expect(await problemLines('broken-key-mismatch')).toEqual([
      'broken-key-mismatch/cards/echo.json: /key: card key "echo-back" differs from the file name "echo". Rename the file to cards/echo-back.json or set "key" to "echo"',
    ]);
  });

  it('reports two cards with the same key', async () => {
    expect(await problemLines('broken-duplicate-key')).toEqual([
      'broken-duplicate-key/cards/repeat.json: /key: card key "echo" differs from the file name "repeat". Rename the file to cards/echo.json or set "key" to "repeat"',
      'broken-duplicate-key/cards/repeat.json: /key: card key "echo" is also used by broken-duplicate-key/cards/echo.json. Give every card of a connector its own key',
    ]);
  });

  it('reports a card that names an undeclared configuration kind or none when there are several', async () => {
    expect(await problemLines('broken-configuration-kind')).toEqual([
      'broken-configuration-kind/cards/echo.json: the card does not say which configuration kind it uses, and connector.json declares 2 (default, staging). Add "configuration" naming one of: default, staging',
      'broken-configuration-kind/cards/other.json: /configuration: configuration kind "production" is not declared in connector.json. Use one of: default, staging',
    ]);
  });

  it('reports templates naming inputs the input schema does not declare', async () => {
    expect(await problemLines('broken-input-reference')).toEqual([
      'broken-input-reference/cards/echo.json: /request/path: template {{input.channel.id}} names input "channel", which the input schema does not declare. Declare "channel" under /input/properties, or correct the template',
      'broken-input-reference/cards/echo.json: /request/body/message: template {{input.mesage}} names input "mesage", which the input schema does not declare. Declare "mesage" under /input/properties, or correct the template',
    ]);
  });

  it('reports templates naming undeclared or secret configuration fields', async () => {
    expect(await problemLines('broken-config-reference')).toEqual([
      'broken-config-reference/cards/echo.json: /request/headers/X-Region: template {{config.region}} names configuration field "region", which configuration kind "default" does not declare. Declare "region" under /configurations/default/schema/properties in connector.json, or correct the template',
      'broken-config-reference/cards/echo.json: /request/headers/X-Key: template {{config.apiKey}} reads secret configuration field "apiKey". Secrets never go into templates: send credentials through the auth section of connector.json',
    ]);
  });

  it('reports auth fields that are not declared or not marked x-secret', async () => {
    expect(await problemLines('broken-auth-field')).toEqual([
      'broken-auth-field/connector.json: /configurations/default/auth/tokenField: auth tokenField "token" is not a field of configuration kind "default". Declare "token" under /configurations/default/schema/properties with "x-secret": true, or correct the name',
      'broken-auth-field/connector.json: /configurations/default/auth/appsecretProof/secretField: auth appsecretProof.secretField "appSecret" is not marked "x-secret": true. Add "x-secret": true to /configurations/default/schema/properties/appSecret so the credential is sealed at rest and never returned',
    ]);
  });

  it('reports a base URL that uses anything but declared configuration fields', async () => {
    expect(await problemLines('broken-base-url')).toEqual([
      'broken-base-url/connector.json: /configurations/default/baseUrl: template {{config.host}} names field "host", which the configuration schema does not declare. Declare a non-secret field under /configurations/default/schema/properties and use it as {{config.<field>}}',
      'broken-base-url/connector.json: /configurations/default/baseUrl: template {{input.version}} is not a configuration field (a base URL can only use {{config.<field>}}). Declare a non-secret field under /configurations/default/schema/properties and use it as {{config.<field>}}',
    ]);
  });

  it('reports a connection test card that does not exist', async () => {
    expect(await problemLines('broken-test-card')).toEqual([
      `broken-test-card/connector.json: /configurations/default/test/card: test card "ping" does not exist. Name one of this connector's cards: echo`,
    ]);
  });

  it('reports x-options naming a missing card and an options card that does not output an array', async () => {
    expect(await problemLines('broken-options')).toEqual([
      'broken-options/cards/echo.json: /input/properties/size/x-options: x-options names card "list-sizes", which does not exist in this connector. Name a card of this connector that lists choices and declares "options": { "label": …, "value": … }',
      'broken-options/cards/list-colours.json: /output/type: an options card must output an array, but the output schema has type "object". Set the output "type" to "array" and describe one choice under "items"; use request.output.path to select the list',
    ]);
  });

  it('reports examples whose input or output does not match the card schemas', async () => {
    expect(await problemLines('broken-example')).toEqual([
      'broken-example/cards/echo.json: /examples/0/output/message: example output does not match the output schema: must be string. Correct the example, or the output schema if the example shows what the service really returns',
      `broken-example/cards/echo.json: /examples/1/input: example input does not match the input schema: must have required property 'message'. Correct the example, or the input schema if the example shows what the service really accepts`,
    ]);
  });

  it('reports a handler module that does not exist', async () => {
    expect(await problemLines('broken-handler-missing')).toEqual([
      'broken-handler-missing/cards/shout.json: /handler: handler file handlers/shout.ts does not exist. Create handlers/shout.ts (default export: defineHandler(async (ctx, input) => output) from @flowcard/sdk), or correct the path',
    ]);
  });

  it('reports trigger templates that read what is not available where they are used', async () => {
    // new-event routes by {{config.listId}} (allowed: a configuration may be bound to one object)
    // but filters on {{item.kind}}, which does not exist when a webhook is routed.
    expect(await problemLines('broken-trigger-scope')).toEqual([
      'broken-trigger-scope/cards/new-event.json: /trigger/webhook/filter/{{event.kind}}: template {{item.kind}} uses "item", which is not available here (only input, config). The route input and filter values are read from the flow input or its configuration: write {{input.<name>}} or {{config.<field>}}',
      'broken-trigger-scope/cards/new-item.json: /trigger/dedupeKey: template {{event.id}} uses "event", which is not available here (only item). dedupeKey and cursor are read from each polled or fetched item: write {{item.<field>}}',
      'broken-trigger-scope/cards/new-item.json: /trigger/polling/request/query/after: template {{item.id}} uses "item", which is not available here (only input, config, cursor). A polling request can use {{input.<name>}}, {{config.<field>}} and {{cursor.since}}',
      'broken-trigger-scope/cards/new-item.json: /trigger/polling/cursor: template {{input.listId}} uses "input", which is not available here (only item). dedupeKey and cursor are read from each polled or fetched item: write {{item.<field>}}',
    ]);
  });

  it('reports input and output schemas that ajv cannot compile', async () => {
    expect(await problemLines('broken-uncompilable-schema')).toEqual([
      'broken-uncompilable-schema/cards/echo.json: /input: input schema cannot be compiled: strict mode: unknown keyword: "minLenght". Fix the JSON Schema (draft-07, strict: unknown keywords and formats are refused; Flowcard adds x-secret, x-options, x-order, x-multiline)',
      'broken-uncompilable-schema/cards/echo.json: /output: output schema cannot be compiled: unknown format "moment" ignored in schema at path "#/properties/at". Fix the JSON Schema (draft-07, strict: unknown keywords and formats are refused; Flowcard adds x-secret, x-options, x-order, x-multiline)',
    ]);
  });

  it('reports a connector without cards', async () => {
    expect(await problemLines('broken-no-cards')).toEqual([
      'broken-no-cards/cards: the connector has no cards. Add at least one card as cards/<key>.json (see schemas/card.schema.json)',
    ]);
  });

  it.each([
    ['broken-missing-manifest', [manifestCodes.FLOWCARD_ERR_CONNECTOR_NOT_FOUND.code]],
    ['broken-json-syntax', [manifestCodes.FLOWCARD_ERR_CONNECTOR_JSON_SYNTAX.code]],
    ['broken-key-mismatch', [manifestCodes.FLOWCARD_ERR_CARD_KEY_MISMATCH.code]],
    [
      'broken-config-reference',
      [
        manifestCodes.FLOWCARD_ERR_CARD_CONFIG_REFERENCE.code,
        manifestCodes.FLOWCARD_ERR_CARD_CONFIG_SECRET.code,
      ],
    ],
    [
      'broken-example',
      [
        manifestCodes.FLOWCARD_ERR_CARD_EXAMPLE_INVALID.code,
        manifestCodes.FLOWCARD_ERR_CARD_EXAMPLE_INVALID.code,
      ],
    ],
    ['broken-trigger-scope', Array(4).fill(manifestCodes.FLOWCARD_ERR_CARD_TEMPLATE_SCOPE.code)],
  ])('gives the problems of %s their stable codes', async (fixture, codes) => {
    expect(await problemCodes(fixture)).toEqual(codes);
  });
});
