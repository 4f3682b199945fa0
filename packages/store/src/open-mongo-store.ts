import mongoose, { type Connection } from 'mongoose';
import type { FlowcardStore } from '@flowcard/engine';
import { createMongoStore, type MongoStoreOptions } from './create-mongo-store';

export interface OpenMongoStoreOptions extends MongoStoreOptions {
  /** mongodb:// URI; its path names the database unless `dbName` is given. */
  readonly uri: string;
  /** Database when the URI names none; default "flowcard". */
  readonly dbName?: string;
}

export interface OpenedMongoStore {
  readonly store: FlowcardStore;
  readonly connection: Connection;
  close(): Promise<void>;
}

/**
 * Connects (a connection of its own, docs/architecture.md §8 settings), builds the store and ensures its
 * indexes: what the CLI and the runtime's composition root call.
 */
export async function openMongoStore(options: OpenMongoStoreOptions): Promise<OpenedMongoStore> {
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.dbName ?? databaseInUri(options.uri) ?? 'flowcard',
    autoCreate: false,
    autoIndex: false,
    // jongodb's streaming (exhaust) heartbeat reply sometimes breaks the driver's monitor
    // ("Server ended moreToCome unexpectedly"); polling works on both it and MongoDB.
    serverMonitoringMode: 'poll',
  });
  await connection.asPromise();
  const store = createMongoStore(connection, options);
  await store.ensureIndexes();
  return { store, connection, close: () => connection.close() };
}

/** The database named in the URI path, if any ("mongodb://h:1/app?x" → "app"). */
export function databaseInUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
