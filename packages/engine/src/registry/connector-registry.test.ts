import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorRegistry } from './connector-registry';
import { loadConnector } from './load-connector';
import { formatManifestProblem } from './manifest-problem';

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');

describe('ConnectorRegistry', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'flowcard-registry-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('loads the good connectors of a directory and keeps the problems of the broken ones', async () => {
    const registry = new ConnectorRegistry();
    const report = await registry.loadFrom({ directories: [fixtures] });
    expect(report.loaded.map((c) => `${c.manifest.name}@${c.major}`)).toEqual(['sample@1', 'sample@2']);
    expect(registry.list().map((c) => c.manifest.version)).toEqual(['1.0.0', '2.0.0']);
    const broken = readdirSync(fixtures)
      .filter((name) => name.startsWith('broken-'))
      .sort();
    expect(registry.problems().map((failure) => failure.source)).toEqual(
      broken.map((name) => join(fixtures, name)),
    );
    expect(registry.problems().every((failure) => failure.problems.length > 0)).toBe(true);
  });

  it('keeps two majors side by side and returns the newest when no major is asked', async () => {
    const registry = new ConnectorRegistry();
    await registry.loadFrom({ directories: [fixtures] });
    expect(registry.get('sample')?.major).toBe(2);
    expect(registry.get('sample', 1)?.manifest.version).toBe('1.0.0');
    expect(registry.card('sample/echo@1')?.ref).toBe('sample/echo@1');
    expect(registry.card('sample/echo')?.ref).toBe('sample/echo@2');
    expect(registry.card('sample/missing@1')).toBeUndefined();
    expect(registry.card('not a ref')).toBeUndefined();
  });

  it('registers and unregisters connectors for hot loading', async () => {
    const registry = new ConnectorRegistry();
    const { connector } = await loadConnector(join(fixtures, 'sample'));
    if (!connector) throw new Error('the sample fixture must load');
    registry.register(connector);
    expect(registry.card('sample/shout@1')?.handlerPath).toBe(
      join(fixtures, 'sample', 'handlers', 'shout.ts'),
    );
    expect(registry.unregister('sample', 1)).toBe(true);
    expect(registry.unregister('sample', 1)).toBe(false);
    expect(registry.get('sample')).toBeUndefined();
    expect(registry.list()).toEqual([]);
  });

  it('explains why a card cannot be found', async () => {
    const registry = new ConnectorRegistry();
    await registry.loadFrom({ directories: [join(scratch, 'absent')] });
    expect(() => registry.requireCard('sample/echo@1')).toThrow(
      'card "sample/echo@1" is not loaded: no connector "sample" is loaded',
    );
    const { connector } = await loadConnector(join(fixtures, 'sample'));
    if (connector) registry.register(connector);
    expect(() => registry.requireCard('sample/echo@3')).toThrow(
      'card "sample/echo@3" is not loaded: connector "sample" is loaded in major 1 only',
    );
    expect(() => registry.requireCard('sample/ping')).toThrow(
      'card "sample/ping" is not loaded: connector "sample" has no card "ping"',
    );
    expect(() => registry.requireCard('Sample/echo')).toThrow(
      'card reference "Sample/echo" is not of the form <connector>/<card> or <connector>/<card>@<major>',
    );
    expect(registry.requireCard('sample/echo').ref).toBe('sample/echo@1');
  });

  it('refuses a second folder with the same connector name and major', async () => {
    cpSync(join(fixtures, 'sample'), join(scratch, 'a', 'sample'), { recursive: true });
    cpSync(join(fixtures, 'sample'), join(scratch, 'b', 'sample'), { recursive: true });
    const registry = new ConnectorRegistry();
    const report = await registry.loadFrom({ directories: [join(scratch, 'a'), join(scratch, 'b')] });
    expect(report.loaded).toHaveLength(1);
    expect(report.failures.flatMap((f) => f.problems.map(formatManifestProblem))).toEqual([
      `sample/connector.json: /name: connector sample@1 is already loaded from ${join(scratch, 'a', 'sample')}. Remove one of the two folders, or give this one another name or major version`,
    ]);
  });

  it('loads connectors from npm packages that name their manifest in package.json', async () => {
    const installed = join(scratch, 'node_modules', '@acme', 'flowcard-sample');
    cpSync(join(fixtures, 'sample'), installed, { recursive: true });
    const registry = new ConnectorRegistry({ resolvePaths: [scratch] });
    const report = await registry.loadFrom({ directories: [], packages: ['@acme/flowcard-sample'] });
    expect(report.failures).toEqual([]);
    expect(registry.get('sample', 1)?.dir).toBe(installed);
  });

  it('reports packages that are missing or are not connectors, naming the package', async () => {
    const plain = join(scratch, 'node_modules', 'left-pad');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'package.json'), JSON.stringify({ name: 'left-pad', version: '1.0.0' }));
    const registry = new ConnectorRegistry({ resolvePaths: [scratch] });
    const report = await registry.loadFrom({ directories: [], packages: ['left-pad', '@acme/absent'] });
    expect(report.failures.flatMap((f) => f.problems.map(formatManifestProblem))).toEqual([
      'left-pad: package left-pad is not a Flowcard connector: its package.json has no "flowcard": { "connector": … }. Add "flowcard": { "connector": "connector.json" } to its package.json, or remove it from the configured connector packages',
      '@acme/absent: package @acme/absent is not a Flowcard connector: it is not installed. Install it (npm install @acme/absent) or remove it from the configured connector packages',
    ]);
  });

  it('names problems of an installed package after the package', async () => {
    const installed = join(scratch, 'node_modules', '@acme', 'broken');
    cpSync(join(fixtures, 'broken-key-mismatch'), installed, { recursive: true });
    writeFileSync(
      join(installed, 'package.json'),
      JSON.stringify({ name: '@acme/broken', flowcard: { connector: 'connector.json' } }),
    );
    const registry = new ConnectorRegistry({ resolvePaths: [scratch] });
    await registry.loadFrom({ directories: [], packages: ['@acme/broken'] });
    expect(registry.problems()[0].problems.map((p) => p.file)).toEqual(['@acme/broken/cards/echo.json']);
  });

  it('drops the failure of a connector once a later load of its folder succeeds', async () => {
    const dir = join(scratch, 'connectors', 'sample');
    cpSync(join(fixtures, 'broken-key-mismatch'), dir, { recursive: true });
    const registry = new ConnectorRegistry();
    await registry.loadFrom({ directories: [join(scratch, 'connectors')] });
    expect(registry.problems()).toHaveLength(1);
    rmSync(dir, { recursive: true });
    cpSync(join(fixtures, 'sample'), dir, { recursive: true });
    await registry.loadFrom({ directories: [join(scratch, 'connectors')] });
    expect(registry.problems()).toEqual([]);
    expect(registry.get('sample')?.major).toBe(1);
  });
});
