import { join } from 'node:path';
import mongoose from 'mongoose';
import pino from 'pino';
import { EmbeddedMongoSnapshots, type SnapshotRestored } from './embedded-mongo-snapshots';
import { MASTER_KEY_FILE } from './data-dir-master-key';

export interface MoveToMongoOptions {
  /** The data directory of the embedded runtime (FLOWCARD_DATA_DIR). */
  readonly dataDir: string;
  /** The embedded database's name (FLOWCARD_MONGODB_DATABASE, default flowcard). */
  readonly database: string;
  /** The MongoDB to move to; its database is the URI's path, else `database`. */
  readonly uri: string;
}

export interface MovedToMongo extends SnapshotRestored {
  /** Where the development master key is: its line is what FLOWCARD_MASTER_KEYS must be set to. */
  readonly masterKeyFile: string;
}

/**
 * Copies the embedded database's last snapshot into a MongoDB database that holds none of its
 * collections yet (refuses otherwise: nothing is merged or overwritten). Stop the embedded runtime
 * first so the snapshot is its final state. Indexes are created by the runtime when it starts.
 */
export async function moveEmbeddedDataToMongo(options: MoveToMongoOptions): Promise<MovedToMongo> {
  const connection = await mongoose
    .createConnection(options.uri, {
      dbName: databaseOf(options.uri) ?? options.database,
      autoCreate: false,
      autoIndex: false,
      serverSelectionTimeoutMS: 10_000,
      serverMonitoringMode: 'poll',
    })
    .asPromise();
  try {
    const target = new EmbeddedMongoSnapshots({
      connection,
      dataDir: options.dataDir,
      database: options.database,
      intervalMs: 0,
      logger: pino({ level: 'silent' }),
    });
    const collections = await target.collectionsInSnapshot();
    if (collections === undefined) throw new Error(`No embedded database snapshot at ${target.path}`);
    for (const name of collections) {
      const count = await connection.db!.collection(name).countDocuments({}, { limit: 1 });
      if (count > 0) {
        throw new Error(
          `The target database "${connection.db!.databaseName}" already has documents in "${name}": move into an empty database (nothing was copied)`,
        );
      }
    }
    const restored = await target.restore();
    return { ...restored, masterKeyFile: join(options.dataDir, MASTER_KEY_FILE) };
  } finally {
    await connection.close();
  }
}

function databaseOf(uri: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}
