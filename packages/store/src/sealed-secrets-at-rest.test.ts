import { randomBytes } from 'node:crypto';
import { EnvKeyProvider, KeyRotationService, SecretSealer } from '@flowcard/engine';
import { useTestDatabase } from '../../../test/support/mongo';
import { createMongoStore } from './create-mongo-store';

const PAGE_TOKEN = `EAAPAGE${randomBytes(12).toString('hex')}`;
const APP_SECRET = `appsecret${randomBytes(12).toString('hex')}`;
const keys = new Map([
  ['k1', randomBytes(32)],
  ['k2', randomBytes(32)],
]);

const database = useTestDatabase(__filename);

async function seed(count: number, sealer: SecretSealer) {
  const store = createMongoStore(database().connection);
  await store.ensureIndexes();
  const workspace = await store.workspaces.create({ name: 'Bakery' });
  await store.workspaces.setMetaApp(workspace.id, {
    appId: '1234',
    appSecret: sealer.seal({ appSecret: APP_SECRET }),
    updatedAt: new Date(),
    updatedBy: 'u1',
  });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const created = await store.configurations.create({
      workspaceId: workspace.id,
      connector: 'facebook-pages',
      kind: 'page',
      nickname: `Page ${i} ${randomBytes(3).toString('hex')}`,
      ownerId: 'u1',
      secrets: sealer.seal({ pageToken: `${PAGE_TOKEN}-${i}` }),
    });
    ids.push(created.id);
  }
  return { store, workspace, ids };
}

describe('sealed secrets at rest', () => {
  it('leaves no plaintext token or app secret in the raw MongoDB documents', async () => {
    const sealer = new SecretSealer(new EnvKeyProvider(keys, 'k1'));
    const { store, ids } = await seed(2, sealer);
    const raw = JSON.stringify([
      await database().connection.db!.collection('configurations').find({}).toArray(),
      await database().connection.db!.collection('workspaces').find({}).toArray(),
    ]);
    expect(raw).toContain('"keyId":"k1"');
    expect(raw).not.toContain(PAGE_TOKEN);
    expect(raw).not.toContain(APP_SECRET);
    const stored = await store.configurations.findById(ids[0]!);
    expect(sealer.open(stored!.secrets!)).toEqual({ pageToken: `${PAGE_TOKEN}-0` });
  });

  it('rotates every configuration and workspace app secret to the new key, resumably, and all stay readable', async () => {
    const { store, workspace, ids } = await seed(5, new SecretSealer(new EnvKeyProvider(keys, 'k1')));
    const provider = new EnvKeyProvider(keys, 'k2');
    const sealer = new SecretSealer(provider);
    const rotation = new KeyRotationService(store.sealedSecretHolders, sealer, provider);
    const total =
      (await store.configurations.countSealedNotUnder('k2')) +
      (await store.workspaces.countSealedNotUnder('k2'));

    // Interrupt the first run after two records: the next run must finish the rest.
    const interrupted = new Error('interrupted');
    await expect(
      rotation.rotate({
        batchSize: 2,
        onProgress: (done) => {
          if (done === 2) throw interrupted;
        },
      }),
    ).rejects.toBe(interrupted);
    expect(
      (await store.configurations.countSealedNotUnder('k2')) +
        (await store.workspaces.countSealedNotUnder('k2')),
    ).toBe(total - 2);

    const progress: Array<[number, number]> = [];
    const summary = await rotation.rotate({
      batchSize: 2,
      onProgress: (done, all) => progress.push([done, all]),
    });
    expect(summary).toEqual({
      toKeyId: 'k2',
      total: total - 2,
      rewrapped: total - 2,
      skipped: 0,
      failed: [],
    });
    expect(progress.at(-1)).toEqual([total - 2, total - 2]);

    const onlyK2 = new SecretSealer(new EnvKeyProvider(new Map([['k2', keys.get('k2')!]]), 'k2'));
    for (const [i, id] of ids.entries()) {
      const configuration = await store.configurations.findById(id);
      expect(configuration).toMatchObject({ version: 1, secrets: { keyId: 'k2' } });
      expect(onlyK2.open(configuration!.secrets!)).toEqual({ pageToken: `${PAGE_TOKEN}-${i}` });
    }
    const metaApp = (await store.workspaces.findById(workspace.id))!.metaApp!;
    expect(onlyK2.open(metaApp.appSecret)).toEqual({ appSecret: APP_SECRET });

    const again = await rotation.rotate();
    expect(again).toEqual({ toKeyId: 'k2', total: 0, rewrapped: 0, skipped: 0, failed: [] });
  });

  it('reports blobs under a key that is not configured instead of stopping', async () => {
    const lost = new Map([['lost', randomBytes(32)]]);
    const { store, ids } = await seed(1, new SecretSealer(new EnvKeyProvider(lost, 'lost')));
    const provider = new EnvKeyProvider(keys, 'k2');
    const summary = await new KeyRotationService(
      store.sealedSecretHolders,
      new SecretSealer(provider),
      provider,
    ).rotate();
    expect(summary.failed).toContainEqual({
      kind: 'configurations',
      id: ids[0],
      reason: expect.stringContaining('Encryption key "lost" is not configured'),
    });
    expect(summary.rewrapped).toBe(summary.total - summary.failed.length);
  });

  it('refuses to rotate to a key id that is not configured', async () => {
    const store = createMongoStore(database().connection);
    const provider = new EnvKeyProvider(keys, 'k2');
    await expect(
      new KeyRotationService(store.sealedSecretHolders, new SecretSealer(provider), provider).rotate({
        toKeyId: 'k9',
      }),
    ).rejects.toThrow('Encryption key "k9" is not configured');
  });
});
