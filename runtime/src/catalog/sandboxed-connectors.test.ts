import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorRegistry, type LoadedCard } from '@flowcard/engine';
import { repositoryConnectorsDir } from './load-connectors';
import { sandboxedConnectors } from './sandboxed-connectors';

let shippedCard: LoadedCard;

beforeAll(async () => {
  const registry = new ConnectorRegistry();
  await registry.loadFrom({ directories: [repositoryConnectorsDir] });
  shippedCard = registry.requireCard('workplace/post-as-member@1');
});

/** The same card as if it had been installed elsewhere (a published bundle in the data directory). */
function installedAt(dir: string): LoadedCard {
  return { ...shippedCard, connector: { ...shippedCard.connector, dir } };
}

describe('which connectors run their handlers in the sandbox', () => {
  let elsewhere: string;
  beforeAll(async () => (elsewhere = await mkdtemp(join(tmpdir(), 'flowcard-published-'))));
  afterAll(() => rm(elsewhere, { recursive: true, force: true }));

  it('sandboxes every connector not shipped in this repository, and not the shipped ones, by default', () => {
    const sandboxes = sandboxedConnectors('external', repositoryConnectorsDir);
    expect(sandboxes(shippedCard)).toBe(false);
    expect(sandboxes(installedAt(join(elsewhere, 'connectors', 'workplace', '1.0.0-abc')))).toBe(true);
    // A folder whose name only starts like the shipped folder is not inside it.
    expect(sandboxes(installedAt(`${repositoryConnectorsDir}-extra/workplace`))).toBe(true);
  });

  it('sandboxes the shipped connectors too with FLOWCARD_SANDBOX=all', () => {
    const sandboxes = sandboxedConnectors('all', repositoryConnectorsDir);
    expect(sandboxes(shippedCard)).toBe(true);
  });
});
