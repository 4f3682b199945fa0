import mongoose, { type Connection } from 'mongoose';
import { mongoUri, uniqueName } from './env';

/** A database of its own for one test file, on a connection of its own. */
export interface TestDatabase {
  readonly connection: Connection;
  readonly name: string;
  /** Empties the database and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens a fresh mongoose connection (never the global default) to a unique database on
 * MONGODB_URI, with the docs/architecture.md §8 settings (no auto-create, no auto-index).
 */
export async function openTestDatabase(file: string): Promise<TestDatabase> {
  return openNamedTestDatabase(uniqueName(file));
}

/**
 * openTestDatabase with a name chosen by the caller (from uniqueName), for tests that hand the same
 * database to runtime processes too. `close()` empties only collections this connection has models
 * for when the server cannot drop databases (jongodb): register the store's models on it first.
 */
export async function openNamedTestDatabase(name: string): Promise<TestDatabase> {
  const connection = mongoose.createConnection(mongoUri(), {
    dbName: name,
    autoCreate: false,
    autoIndex: false,
    // See packages/store/README.md: jongodb's streaming heartbeat can break the driver's monitor.
    serverMonitoringMode: 'poll',
  });
  await connection.asPromise();
  return { connection, name, close: () => dropAndClose(connection) };
}

/**
 * Jest hooks around openTestDatabase: opens in beforeAll, drops and closes in afterAll. Returns a
 * getter because the database exists only once beforeAll has run.
 */
export function useTestDatabase(file: string): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(file);
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (!database) throw new Error('the test database is opened in beforeAll: use it inside a test or hook');
    return database;
  };
}

async function dropAndClose(connection: Connection): Promise<void> {
  try {
    await connection.dropDatabase();
  } catch {
    // jongodb has no dropDatabase/drop commands: empty every collection this connection modelled
    // instead (a real MongoDB takes the branch above).
    await Promise.all(Object.values(connection.models).map((model) => model.deleteMany({})));
  }
  await connection.close();
}
