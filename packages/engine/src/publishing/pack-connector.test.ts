import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatManifestProblem } from '../registry/manifest-problem';
import { loadConnector } from '../registry/load-connector';
import { packConnector } from './pack-connector';
import { verifyPackedConnector } from './verify-packed-connector';
import { writePackedConnector } from './write-packed-connector';

const manifest = {
  name: 'echo',
  version: '1.2.0',
  title: 'Echo',
  description: 'Echoes.',
  lifecycle: { status: 'active' },
  configurations: {
    default: {
      title: 'Echo',
      auth: { kind: 'none' },
      baseUrl: '{{config.baseUrl}}',
      schema: { type: 'object', properties: { baseUrl: { type: 'string' } } },
    },
  },
};
const getItem = {
  key: 'get-item',
  kind: 'action',
  title: 'Get an item',
  description: 'Reads one item.',
  input: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  output: { type: 'object', properties: { id: { type: 'string' } } },
  request: { method: 'GET', path: '/items/{{input.id}}' },
};
const shout = {
  key: 'shout',
  kind: 'action',
  title: 'Shout',
  description: 'Upper-cases a text.',
  input: { type: 'object', properties: { text: { type: 'string' } } },
  output: { type: 'object', properties: { text: { type: 'string' } } },
  handler: 'handlers/shout.ts',
};
const handler = `import { upper } from './lib/upper';\nexport default async (_ctx: unknown, input: { text?: string }) => ({ text: upper(input.text ?? '') });\n`;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'flowcard-pack-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeConnector(dir: string, indent = 2, files: Record<string, unknown> = {}): Promise<string> {
  const all: Record<string, unknown> = {
    'connector.json': manifest,
    'cards/shout.json': shout,
    'cards/get-item.json': getItem,
    'handlers/shout.ts': handler,
    'handlers/lib/upper.ts': 'export const upper = (text: string): string => text.toUpperCase();\n',
    'handlers/shout.test.ts': 'it.todo("is not packed");\n',
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(
      join(dir, path),
      typeof content === 'string' ? content : JSON.stringify(content, null, indent),
    );
  }
  return dir;
}

describe('packConnector', () => {
  it('packs manifest, cards sorted by key and every handler source into one bundle', async () => {
    const { bundle, problems } = await packConnector(await writeConnector(join(root, 'echo')));
    expect(problems).toEqual([]);
    expect(bundle).toMatchObject({
      format: 'flowcard-connector-bundle/1',
      name: 'echo',
      version: '1.2.0',
      manifest,
    });
    expect(bundle?.cards.map((card) => card.key)).toEqual(['get-item', 'shout']);
    expect(bundle?.handlers.map((file) => file.path)).toEqual(['handlers/lib/upper.ts', 'handlers/shout.ts']);
    expect(bundle?.handlers[1].source).toBe(handler);
    expect(bundle?.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives the same hash whatever the indentation of the JSON files', async () => {
    const a = await packConnector(await writeConnector(join(root, 'a', 'echo'), 2));
    const b = await packConnector(await writeConnector(join(root, 'b', 'echo'), 0));
    expect(a.bundle?.contentHash).toBe(b.bundle?.contentHash);
  });

  it('gives another hash when a handler source changes', async () => {
    const a = await packConnector(await writeConnector(join(root, 'a', 'echo')));
    const b = await packConnector(
      await writeConnector(join(root, 'b', 'echo'), 2, { 'handlers/shout.ts': `${handler}// v2\n` }),
    );
    expect(a.bundle?.contentHash).not.toBe(b.bundle?.contentHash);
  });

  it('refuses a connector that does not load, with the loader problem lines', async () => {
    const dir = await writeConnector(join(root, 'echo'), 2, {
      'cards/get-item.json': { ...getItem, request: { method: 'GET', path: '/items/{{input.itemId}}' } },
    });
    const { bundle, problems } = await packConnector(dir);
    expect(bundle).toBeUndefined();
    expect(problems.map(formatManifestProblem).join('\n')).toContain(
      'echo/cards/get-item.json: /request/path',
    );
  });

  it('round-trips: a written bundle loads and packs to the same hash', async () => {
    const { bundle } = await packConnector(await writeConnector(join(root, 'echo')));
    const copy = join(root, 'copy', 'echo');
    await writePackedConnector(verifyPackedConnector(bundle), copy);
    expect((await loadConnector(copy)).problems).toEqual([]);
    expect((await packConnector(copy)).bundle?.contentHash).toBe(bundle?.contentHash);
  });
});

describe('verifyPackedConnector', () => {
  it('refuses a bundle whose content was changed after packing', async () => {
    const { bundle } = await packConnector(await writeConnector(join(root, 'echo')));
    const tampered = {
      ...bundle,
      handlers: [{ path: 'handlers/shout.ts', source: 'export default () => ({})' }],
    };
    expect(() => verifyPackedConnector(tampered)).toThrow(
      /says its content hash is sha256:[0-9a-f]+, but its content hashes to sha256:/,
    );
  });

  it('refuses a handler path that leaves the handlers folder', async () => {
    const { bundle } = await packConnector(await writeConnector(join(root, 'echo')));
    const escaping = { ...bundle, handlers: [{ path: 'handlers/../../etc/x.ts', source: '' }] };
    expect(() => verifyPackedConnector(escaping)).toThrow(
      'the connector bundle is not valid: handler path "handlers/../../etc/x.ts" is not inside handlers/',
    );
  });

  it('refuses a bundle whose name differs from its manifest', async () => {
    const { bundle } = await packConnector(await writeConnector(join(root, 'echo')));
    expect(() => verifyPackedConnector({ ...bundle, name: 'other' })).toThrow(
      'name differs from manifest.name',
    );
  });
});
