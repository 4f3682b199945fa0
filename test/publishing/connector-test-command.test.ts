import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalService, type LocalService } from '../support/local-service';
import { runFlowcard } from './run-flowcard';

const manifest = {
  name: 'inventory',
  version: '1.0.0',
  title: 'Inventory',
  description: 'Items in stock.',
  lifecycle: { status: 'active' },
  configurations: {
    default: {
      title: 'Inventory',
      auth: { kind: 'bearer', tokenField: 'apiKey' },
      baseUrl: '{{config.apiUrl}}',
      schema: {
        type: 'object',
        required: ['apiKey', 'apiUrl'],
        properties: { apiKey: { type: 'string', 'x-secret': true }, apiUrl: { type: 'string' } },
      },
    },
  },
};
const card = (key: string, path: string, examples?: unknown[]): Record<string, unknown> => ({
  key,
  kind: 'action',
  title: key,
  description: key,
  input: { type: 'object', properties: {} },
  output: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  request: { method: 'GET', path },
  ...(examples ? { examples } : {}),
});

let dir: string;
let server: LocalService;
let baseUrl: string;
const authorizations: Array<string | undefined> = [];

beforeAll(async () => {
  server = await startLocalService((request, response) => {
    authorizations.push(request.headers.authorization);
    response.setHeader('content-type', 'application/json');
    // /good answers the promised shape; /bad answers an id that is a number, not a string.
    response.end(JSON.stringify(request.url === '/good' ? { id: 'a1' } : { id: 42 }));
  });
  baseUrl = server.url;
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowcard-connector-test-'));
  await mkdir(join(dir, 'cards'));
  await writeFile(join(dir, 'connector.json'), JSON.stringify(manifest));
  await writeFile(
    join(dir, 'cards', 'good-item.json'),
    JSON.stringify(card('good-item', '/good', [{ title: 'An item', input: {}, output: { id: 'a1' } }])),
  );
  await writeFile(join(dir, 'cards', 'unsampled.json'), JSON.stringify(card('unsampled', '/good')));
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ values: { apiUrl: '{{baseUrl}}' }, secrets: { apiKey: 'k-123' } }),
  );
  authorizations.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `flowcard connector test <dir> --base-url <the local service> --config <dir>/config.json`. */
const testAgainstService = (): ReturnType<typeof runFlowcard> =>
  runFlowcard(['connector', 'test', dir, '--base-url', baseUrl, '--config', join(dir, 'config.json')]);

describe('flowcard connector test --base-url', () => {
  it('passes when every output has the promised shape, and says which cards have no examples', async () => {
    const result = await testAgainstService();
    expect(result.stdout.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ {2}✓ good-item #1 \(An item\): 1 call, \d+ ms$/),
      '  – unsampled: skipped: no examples: add one to the card file',
      '1 passed, 0 failed, 1 skipped',
      '',
    ]);
    expect(result.code).toBe(0);
  });

  it('fills {{baseUrl}} in the config file and sends its secrets', async () => {
    await testAgainstService();
    expect(authorizations).toEqual(['Bearer k-123']);
  });

  it('fails, exit 1, when the service answers a shape the output schema refuses', async () => {
    await writeFile(
      join(dir, 'cards', 'bad-item.json'),
      JSON.stringify(card('bad-item', '/bad', [{ input: {}, output: { id: 'b1' } }])),
    );
    const result = await testAgainstService();
    expect(result.stdout).toContain('  ✗ bad-item #1: FLOWCARD_ERR_OUTPUT_INVALID: ');
    expect(result.stdout).toContain('1 passed, 1 failed, 1 skipped\n');
    expect(result.code).toBe(1);
  });

  it('refuses a connector that does not load, with the problem lines', async () => {
    await writeFile(join(dir, 'cards', 'good-item.json'), '{ "key": ');
    const result = await runFlowcard(['connector', 'test', dir, '--base-url', baseUrl]);
    expect(result.stderr).toMatch(/cards\/good-item\.json: invalid JSON at line 1/);
    expect(result.code).toBe(1);
  });
});
