import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mongo, type Connection } from 'mongoose';
import type { Logger } from 'pino';

const { EJSON } = mongo.BSON;

/** Write commands whose success marks their collection as changed since the last snapshot. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
const FORMAT = 'flowcard-embedded-mongodb-snapshot';

export interface SnapshotOptions {
  readonly connection: Connection;
  /** The data directory; snapshots go to `<dataDir>/embedded-mongodb/<database>.snapshot.ejson`. */
  readonly dataDir: string;
  /** The embedded database's name (names the file; the connection may point at another database). */
  readonly database: string;
  /** Shortest time between two periodic snapshots; 0 turns periodic snapshots off (shutdown only). */
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface SnapshotSaved {
  readonly path: string;
  readonly durationMs: number;
  readonly bytes: number;
  readonly collectionsRead: number;
  readonly documentsRead: number;
}

export interface SnapshotRestored {
  readonly path: string;
  readonly restored: boolean;
  readonly durationMs: number;
  readonly collections: number;
  readonly documents: number;
}

interface CollectionLine {
  readonly collection: string;
  readonly documents: readonly unknown[];
}

/**
 * Keeps the embedded (in-memory) jongodb database on disk, since jongodb itself writes nothing:
 *
 * - `restore()` at start, before anything else touches the database, inserts every document of the
 *   last snapshot (one insertMany per collection);
 * - the driver's command monitoring marks a collection changed when a write command on it succeeds;
 * - every `intervalMs` (at least 4× the last snapshot's duration, so snapshots never take more than
 *   about a fifth of the time) the changed collections are read back, and the whole database is
 *   written to one file: under a temporary name, fsynced, then renamed over the last one (the one
 *   before is kept as `.previous`). A crash therefore leaves the last complete snapshot, never half
 *   of one; what was written after it is lost (at most one interval plus the snapshot's duration);
 * - `stop()` (graceful shutdown, after the services stopped) writes a last snapshot.
 *
 * Unchanged collections are not read again: their serialised lines are kept in memory.
 */
export class EmbeddedMongoSnapshots {
  readonly path: string;
  private readonly lines = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly pending = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<SnapshotSaved | undefined> | undefined;
  private lastDurationMs = 0;
  private listening = false;
  private readonly onStarted = (event: {
    commandName: string;
    databaseName: string;
    requestId: number;
    command: Record<string, unknown>;
  }): void => {
    if (!WRITE_COMMANDS.has(event.commandName) || event.databaseName !== this.database) return;
    const collection = event.command[event.commandName];
    if (typeof collection === 'string') this.pending.set(event.requestId, collection);
  };
  private readonly onFinished = (event: { requestId: number }): void => {
    const collection = this.pending.get(event.requestId);
    if (collection === undefined) return;
    this.pending.delete(event.requestId);
    // A failed write may still have changed something (e.g. part of an unordered batch): mark it too.
    this.dirty.add(collection);
  };

  constructor(private readonly options: SnapshotOptions) {
    this.path = join(options.dataDir, 'embedded-mongodb', `${options.database}.snapshot.ejson`);
  }

  /** The connection's database name, read lazily (the connection may not be open when built). */
  private get database(): string {
    return this.options.connection.db!.databaseName;
  }

  /** The collection lines of the snapshot file, or undefined when there is none yet. */
  private async readLines(): Promise<string[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return undefined;
    }
    const [header, ...rest] = text.split('\n').filter((line) => line.length > 0);
    let format: unknown;
    try {
      format = (JSON.parse(header ?? '') as { format?: unknown }).format;
    } catch {
      format = undefined;
    }
    if (format !== FORMAT) {
      throw new Error(
        `${this.path} is not a Flowcard embedded-database snapshot. Move it away (the snapshot before it, if any, is ${this.path}.previous) and start again.`,
      );
    }
    return rest;
  }

  /** Names of the collections in the snapshot file; undefined when there is no snapshot. */
  async collectionsInSnapshot(): Promise<string[] | undefined> {
    const lines = await this.readLines();
    return lines?.map((line) => (JSON.parse(line) as { collection: string }).collection);
  }

  /** Loads the last snapshot into the (empty) database; a missing file means a first start. */
  async restore(): Promise<SnapshotRestored> {
    const started = Date.now();
    const rest = await this.readLines();
    if (rest === undefined) {
      return { path: this.path, restored: false, durationMs: 0, collections: 0, documents: 0 };
    }
    let documents = 0;
    for (const line of rest) {
      const parsed = EJSON.parse(line, { relaxed: false }) as CollectionLine;
      if (parsed.documents.length > 0) {
        await this.options.connection
          .db!.collection(parsed.collection)
          .insertMany(parsed.documents as Array<Record<string, unknown>>, { ordered: true });
      }
      documents += parsed.documents.length;
      this.lines.set(parsed.collection, line);
    }
    return {
      path: this.path,
      restored: true,
      durationMs: Date.now() - started,
      collections: rest.length,
      documents,
    };
  }

  /** Starts watching write commands and, unless `intervalMs` is 0, saving periodically. */
  start(): void {
    if (!this.listening) {
      const client = this.options.connection.getClient();
      client.on('commandStarted', this.onStarted);
      client.on('commandSucceeded', this.onFinished);
      client.on('commandFailed', this.onFinished);
      this.listening = true;
    }
    if (this.options.intervalMs > 0) this.schedule();
  }

  /** Stops the timer and writes a last snapshot when anything changed. */
  async stop(): Promise<SnapshotSaved | undefined> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.saving?.catch(() => undefined);
    const saved = await this.save();
    if (this.listening) {
      const client = this.options.connection.getClient();
      client.off('commandStarted', this.onStarted);
      client.off('commandSucceeded', this.onFinished);
      client.off('commandFailed', this.onFinished);
      this.listening = false;
    }
    return saved;
  }

  /** Saves now when something changed; concurrent calls share one save. */
  save(): Promise<SnapshotSaved | undefined> {
    this.saving ??= this.write().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private schedule(): void {
    const delay = Math.max(this.options.intervalMs, 4 * this.lastDurationMs);
    this.timer = setTimeout(() => {
      this.save()
        .catch((error: unknown) =>
          this.options.logger.error({ err: error, path: this.path }, 'saving the embedded database failed'),
        )
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, delay);
    this.timer.unref();
  }

  private async write(): Promise<SnapshotSaved | undefined> {
    if (this.dirty.size === 0) return undefined;
    const started = Date.now();
    const changed = [...this.dirty];
    // Cleared before reading: a write that succeeds while we read marks its collection again.
    this.dirty.clear();
    let documentsRead = 0;
    try {
      for (const collection of changed) {
        const documents = await this.options.connection.db!.collection(collection).find({}).toArray();
        documentsRead += documents.length;
        this.lines.set(collection, EJSON.stringify({ collection, documents }, { relaxed: false }));
      }
    } catch (error) {
      for (const collection of changed) this.dirty.add(collection);
      throw error;
    }
    const header = JSON.stringify({
      format: FORMAT,
      version: 1,
      database: this.options.database,
      savedAt: new Date(),
    });
    const text = [
      header,
      ...[...this.lines.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, line]) => line),
    ]
      .join('\n')
      .concat('\n');
    await writeAtomically(this.path, text);
    this.lastDurationMs = Date.now() - started;
    const saved = {
      path: this.path,
      durationMs: this.lastDurationMs,
      bytes: Buffer.byteLength(text),
      collectionsRead: changed.length,
      documentsRead,
    };
    this.options.logger.debug(saved, 'embedded database saved');
    return saved;
  }
}

/** Temporary file, fsync, the current file also named `.previous`, rename into place, fsync the folder. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const folder = join(path, '..');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  // The current file stays in place throughout: `.previous` is a second name for it (a hard link),
  // and the rename below replaces it atomically.
  await rm(`${path}.previous`, { force: true });
  try {
    await link(path, `${path}.previous`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(temporary, { force: true });
      throw error;
    }
  }
  await rename(temporary, path);
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
