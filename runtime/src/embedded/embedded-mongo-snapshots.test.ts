import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import pino from 'pino';
import { mongoUri, uniqueName } from '../../../test/support/env';
import { dataDirMasterKey } from './data-dir-master-key';
import { EmbeddedMongoSnapshots } from './embedded-mongo-snapshots';
import { moveEmbeddedDataToMongo } from './move-to-mongodb';

const logger = pino({ level: 'silent' });

/** The test server's URI with `database` as its path (the URI may carry options after a `?`). */
const uriOf = (database: string): string => {
  const [address, query] = mongoUri().split('?');
  return `${address!.replace(/\/$/, '')}/${database}${query ? `?${query}` : ''}`;
};

async function connect(database: string): Promise<Connection> {
  return mongoose
    .createConnection(mongoUri(), { dbName: database, autoCreate: false, monitorCommands: true })
    .asPromise();
}

describe('the embedded database snapshots', () => {
  let dataDir: string;
  const connections: Connection[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowcard-snapshots-'));
  });
  afterEach(async () => {
    for (const connection of connections.splice(0)) await connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('saves what was written (dates, binaries, nested documents) and restores it into an empty database', async () => {
    const source = await connect(uniqueName(__filename));
    connections.push(source);
    const snapshots = new EmbeddedMongoSnapshots({
      connection: source,
      dataDir,
      database: 'flowcard',
      intervalMs: 0,
      logger,
    });
    expect(await snapshots.restore()).toMatchObject({ restored: false, documents: 0 });
    snapshots.start();
    expect(await snapshots.save()).toBeUndefined(); // nothing written yet: nothing to save

    const at = new Date('2026-05-01T09:00:00.123Z');
    await source.db!.collection('configurations').insertMany([
      { _id: 'c1' as never, nickname: 'One', secrets: { wrappedKey: Buffer.from([1, 2, 3]), at } },
      { _id: 'c2' as never, nickname: 'Two', version: 2 },
    ]);
    await source.db!.collection('flows').insertOne({ _id: 'f1' as never, name: 'Flow', enabled: true });
    const first = await snapshots.save();
    expect(first).toMatchObject({ collectionsRead: 2, documentsRead: 3 });

    // Only the changed collection is read again; the file still holds both.
    await source.db!.collection('flows').updateOne({ _id: 'f1' as never }, { $set: { enabled: false } });
    expect(await snapshots.save()).toMatchObject({ collectionsRead: 1, documentsRead: 1 });
    await snapshots.stop();
    expect(statSync(snapshots.path).mode & 0o777).toBe(0o600);
    // The snapshot before the last one is kept beside it.
    expect(readFileSync(`${snapshots.path}.previous`, 'utf8')).toContain('"enabled":true');

    const target = await connect(uniqueName(__filename));
    connections.push(target);
    const restored = await new EmbeddedMongoSnapshots({
      connection: target,
      dataDir,
      database: 'flowcard',
      intervalMs: 0,
      logger,
    }).restore();
    expect(restored).toMatchObject({ restored: true, collections: 2, documents: 3 });
    const c1 = await target.db!.collection('configurations').findOne({ _id: 'c1' as never });
    expect(c1?.secrets.at).toEqual(at);
    expect(Buffer.from(c1?.secrets.wrappedKey.buffer).toString('hex')).toBe('010203');
    expect(await target.db!.collection('flows').findOne({ _id: 'f1' as never })).toEqual({
      _id: 'f1',
      name: 'Flow',
      enabled: false,
    });
  });

  it('refuses a file that is not a snapshot instead of starting empty over it', async () => {
    const connection = await connect(uniqueName(__filename));
    connections.push(connection);
    const snapshots = new EmbeddedMongoSnapshots({
      connection,
      dataDir,
      database: 'flowcard',
      intervalMs: 0,
      logger,
    });
    await snapshots.restore();
    snapshots.start();
    await connection.db!.collection('flows').insertOne({ _id: 'f1' as never });
    await snapshots.stop();
    writeFileSync(snapshots.path, '{"half a fi');
    await expect(snapshots.restore()).rejects.toThrow(
      `${snapshots.path} is not a Flowcard embedded-database snapshot. Move it away (the snapshot before it, if any, is ${snapshots.path}.previous) and start again.`,
    );
  });

  it('moves the data into an empty MongoDB database and refuses a database that has data', async () => {
    const source = await connect(uniqueName(__filename));
    connections.push(source);
    const snapshots = new EmbeddedMongoSnapshots({
      connection: source,
      dataDir,
      database: 'flowcard',
      intervalMs: 0,
      logger,
    });
    snapshots.start();
    await source.db!.collection('users').insertOne({ _id: 'u1' as never, email: 'a@b.example' });
    await snapshots.stop();
    const key = await dataDirMasterKey(dataDir);

    const database = uniqueName(__filename);
    const moved = await moveEmbeddedDataToMongo({
      dataDir,
      database: 'flowcard',
      uri: uriOf(database),
    });
    expect(moved).toMatchObject({ documents: 1, collections: 1, masterKeyFile: key.path });
    const target = await connect(database);
    connections.push(target);
    expect(await target.db!.collection('users').findOne({ _id: 'u1' as never })).toEqual({
      _id: 'u1',
      email: 'a@b.example',
    });
    await expect(
      moveEmbeddedDataToMongo({ dataDir, database: 'flowcard', uri: uriOf(database) }),
    ).rejects.toThrow(
      `The target database "${database}" already has documents in "users": move into an empty database (nothing was copied)`,
    );
  });
});

describe('the development master key', () => {
  it('is generated once with mode 0600, read back after, and its mode fixed when others could read it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-key-'));
    try {
      const first = await dataDirMasterKey(dataDir);
      expect(first).toMatchObject({ created: true, permissionsFixed: false });
      expect(first.key.key).toHaveLength(32);
      expect(statSync(first.path).mode & 0o777).toBe(0o600);
      const [again, concurrent] = await Promise.all([dataDirMasterKey(dataDir), dataDirMasterKey(dataDir)]);
      expect(again.key).toEqual(first.key);
      expect(concurrent.key).toEqual(first.key);
      expect(again.created).toBe(false);

      chmodSync(first.path, 0o644);
      expect(await dataDirMasterKey(dataDir)).toMatchObject({ permissionsFixed: true, key: first.key });
      expect(statSync(first.path).mode & 0o777).toBe(0o600);

      writeFileSync(first.path, 'not a key');
      await expect(dataDirMasterKey(dataDir)).rejects.toThrow('is not a master key file');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('concurrent first calls on a new data directory agree on one key (one creates it)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowcard-key-'));
    try {
      const keys = await Promise.all(Array.from({ length: 5 }, () => dataDirMasterKey(dataDir)));
      expect(new Set(keys.map((k) => k.key.key.toString('hex'))).size).toBe(1);
      expect(keys.filter((k) => k.created)).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
