import type { NewRegistryEntry } from '../connector-registry-repository';
import { expectCode, unique, type StoreGetter } from './conformance-context';

function bundle(name: string, version: string): NewRegistryEntry {
  return {
    name,
    version,
    manifest: {
      $schema: 'https://flowcard.dev/connector.schema.json',
      name,
      version,
      'x-note': 'dots.and.$dollars',
    },
    cards: [{ key: 'send-message', spec: { input: { $ref: '#/definitions/message' } } }],
    handlers: [{ path: 'handlers/list-pages.ts', source: 'export default async () => [];\n' }],
    contentHash: `sha256-${version}`,
    lifecycle: 'active',
  };
}

export function describeConnectorRegistryContract(store: StoreGetter): void {
  describe('connector registry', () => {
    it('publishes a bundle that reads back intact, and refuses the same name and version twice', async () => {
      const name = unique('connector');
      const published = await store().connectorRegistry.publish({
        ...bundle(name, '1.0.0'),
        publishedBy: 'u1',
      });
      expect(published).toMatchObject({ ...bundle(name, '1.0.0'), major: 1, publishedBy: 'u1' });
      expect(await store().connectorRegistry.find(name, '1.0.0')).toEqual(published);
      await expectCode(
        store().connectorRegistry.publish(bundle(name, '1.0.0')),
        'FLOWCARD_ERR_REGISTRY_VERSION_EXISTS',
      );
      expect(await store().connectorRegistry.find(name, '9.9.9')).toBeNull();
    });

    it('keeps the workspace a connector was published for; a deployment connector has none', async () => {
      const own = unique('connector');
      const shared = unique('connector');
      await store().connectorRegistry.publish({ ...bundle(own, '1.0.0'), workspaceId: 'ws-a' });
      await store().connectorRegistry.publish(bundle(shared, '1.0.0'));
      expect((await store().connectorRegistry.find(own, '1.0.0'))?.workspaceId).toBe('ws-a');
      expect((await store().connectorRegistry.find(shared, '1.0.0'))?.workspaceId).toBeNull();
      expect((await store().connectorRegistry.latestOfMajor(own, 1))?.workspaceId).toBe('ws-a');
    });

    it('picks the latest release of a major by semver, not by text or publish order', async () => {
      const name = unique('connector');
      for (const version of ['1.10.0', '1.2.0', '2.0.0', '1.9.3', '1.11.0-beta.1']) {
        await store().connectorRegistry.publish(bundle(name, version));
      }
      expect((await store().connectorRegistry.latestOfMajor(name, 1))?.version).toBe('1.10.0');
      expect((await store().connectorRegistry.latestOfMajor(name, 2))?.version).toBe('2.0.0');
      expect(await store().connectorRegistry.latestOfMajor(name, 3)).toBeNull();
      expect((await store().connectorRegistry.listVersions(name)).map((e) => e.version)).toEqual([
        '2.0.0',
        '1.11.0-beta.1',
        '1.10.0',
        '1.9.3',
        '1.2.0',
      ]);
    });

    it('offers a pre-release as latest only when its major has no release', async () => {
      const name = unique('connector');
      await store().connectorRegistry.publish(bundle(name, '3.0.0-rc.1'));
      expect((await store().connectorRegistry.latestOfMajor(name, 3))?.version).toBe('3.0.0-rc.1');
    });

    it('lists connector names and what was published since a time', async () => {
      const name = unique('connector');
      const before = new Date(Date.now() - 1000);
      await store().connectorRegistry.publish(bundle(name, '0.1.0'));
      expect(await store().connectorRegistry.listNames()).toContain(name);
      expect(
        (await store().connectorRegistry.listPublishedSince(before)).map((e) => `${e.name}@${e.version}`),
      ).toContain(`${name}@0.1.0`);
      expect(await store().connectorRegistry.listPublishedSince(new Date(Date.now() + 60_000))).toEqual([]);
    });

    it('sets the lifecycle of one version, leaves its content and the other versions alone, and lists the change', async () => {
      const name = unique('connector');
      const before = new Date(Date.now() - 1000);
      const published = await store().connectorRegistry.publish(bundle(name, '1.0.0'));
      await store().connectorRegistry.publish(bundle(name, '1.1.0'));
      const lifecycle = {
        status: 'sunset' as const,
        message: 'The service shut down.',
        readOnlyAt: '2026-01-01',
        sunsetAt: '2026-02-01',
      };
      const changed = await store().connectorRegistry.setLifecycle(name, '1.0.0', lifecycle);
      expect(changed).toMatchObject({
        ...published,
        lifecycle: 'sunset',
        lifecycleOverride: lifecycle,
        lifecycleChangedAt: expect.any(Date),
      });
      expect(await store().connectorRegistry.find(name, '1.0.0')).toEqual(changed);
      expect((await store().connectorRegistry.find(name, '1.1.0'))?.lifecycleOverride).toBeUndefined();
      expect(
        (await store().connectorRegistry.listLifecycleChangedSince(before)).map(
          (e) => `${e.name}@${e.version}`,
        ),
      ).toContain(`${name}@1.0.0`);
      expect(
        (await store().connectorRegistry.listLifecycleChangedSince(before)).map(
          (e) => `${e.name}@${e.version}`,
        ),
      ).not.toContain(`${name}@1.1.0`);
      expect(await store().connectorRegistry.setLifecycle(name, '9.9.9', { status: 'active' })).toBeNull();
    });

    it('refuses a version that is not semver', async () => {
      await expect(store().connectorRegistry.publish(bundle(unique('connector'), 'v1'))).rejects.toThrow(
        '"v1" is not a semver version',
      );
    });
  });
}
