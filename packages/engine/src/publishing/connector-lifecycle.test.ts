import { join } from 'node:path';
import type { RegistryEntry } from '../ports/connector-registry-repository';
import { ConnectorRegistry } from '../registry/connector-registry';
import { loadConnector } from '../registry/load-connector';
import type { LoadedConnector } from '../registry/loaded-connector';
import { applyLifecycleOverride } from './apply-lifecycle-override';
import { connectorLifecycleOf } from './connector-lifecycle';

const connectorsDir = join(__dirname, '..', '..', '..', '..', 'connectors');

let workplace: LoadedConnector;
let registry: ConnectorRegistry;

beforeAll(async () => {
  const loaded = await loadConnector(join(connectorsDir, 'workplace'));
  if (!loaded.connector) throw new Error('the workplace connector does not load');
  workplace = loaded.connector;
});
beforeEach(() => {
  registry = new ConnectorRegistry();
  registry.register(workplace);
});

/** A registry entry of workplace carrying a lifecycle override; only the fields the override reads matter. */
function entry(version: string, lifecycleOverride: RegistryEntry['lifecycleOverride']): RegistryEntry {
  return {
    id: `e-${version}`,
    name: 'workplace',
    version,
    major: Number(version.split('.')[0]),
    manifest: {},
    cards: [],
    handlers: [],
    contentHash: 'sha256:x',
    lifecycle: lifecycleOverride?.status ?? 'active',
    publishedBy: null,
    workspaceId: null,
    publishedAt: new Date(),
    ...(lifecycleOverride ? { lifecycleOverride, lifecycleChangedAt: new Date() } : {}),
  };
}

describe('connectorLifecycleOf', () => {
  it('says Workplace is sunset but not yet gone before its sunset date, with the manifest message', () => {
    const status = connectorLifecycleOf(registry, 'workplace', 1, new Date('2026-05-31T23:00:00Z'));
    expect(status).toEqual({
      connector: 'workplace@1',
      version: workplace.manifest.version,
      lifecycle: workplace.manifest.lifecycle,
      warn: true,
      gone: false,
      message: workplace.manifest.lifecycle.message,
    });
  });

  it('says Workplace is gone from its sunset date on', () => {
    expect(connectorLifecycleOf(registry, 'workplace', 1, new Date('2026-06-01T00:00:00Z'))?.gone).toBe(true);
  });

  it('counts a sunset without a date as gone, and a deprecated connector as a warning only', () => {
    applyLifecycleOverride(
      registry,
      entry(workplace.manifest.version, { status: 'sunset', message: 'Gone.' }),
    );
    expect(connectorLifecycleOf(registry, 'workplace', 1)).toMatchObject({ gone: true, message: 'Gone.' });
    applyLifecycleOverride(
      registry,
      entry(workplace.manifest.version, { status: 'deprecated', message: 'Move.' }),
    );
    expect(connectorLifecycleOf(registry, 'workplace', 1)).toMatchObject({ warn: true, gone: false });
  });

  it('gives an active connector a plain message and no warning', () => {
    applyLifecycleOverride(registry, entry(workplace.manifest.version, { status: 'active' }));
    expect(connectorLifecycleOf(registry, 'workplace', 1)).toMatchObject({
      warn: false,
      gone: false,
      message: 'Workplace from Meta is active.',
    });
  });

  it('knows nothing of a major that is not loaded', () => {
    expect(connectorLifecycleOf(registry, 'workplace', 7)).toBeUndefined();
  });
});

describe('applyLifecycleOverride', () => {
  it('leaves the connector alone when the override names another version of its major', () => {
    expect(applyLifecycleOverride(registry, entry('1.99.0', { status: 'active' }))).toBeUndefined();
    expect(registry.get('workplace', 1)).toBe(workplace);
  });

  it('re-registers the connector with the new lifecycle, and its cards point at it', () => {
    const updated = applyLifecycleOverride(
      registry,
      entry(workplace.manifest.version, { status: 'deprecated', message: 'Move.' }),
    );
    expect(registry.get('workplace', 1)).toBe(updated);
    expect(registry.requireCard('workplace/get-community@1').connector).toBe(updated);
    // The loaded connector itself is not changed: other holders of it keep a consistent object.
    expect(workplace.manifest.lifecycle.status).toBe('sunset');
  });
});
