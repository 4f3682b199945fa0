import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ResolvedConfig, RuntimeConfig } from '../config/runtime-config';
import { dataDirMasterKey } from './data-dir-master-key';
import { startEmbeddedMeta } from './embedded-meta';
import { resolveRedis } from './embedded-redis';
import { freePort } from './free-port';
import { startJongodb } from './jongodb';
import { killOrphanedJongodb, removeJongodbPid, writeJongodbPid } from './jongodb-pid-file';

/** The resolved configuration and a function stopping whatever was started to resolve it. */
export interface EmbeddedDefaults {
  readonly config: ResolvedConfig;
  stop(): Promise<void>;
}

const LOUD = '!'.repeat(78);

/**
 * Fills every unset external dependency with an embedded stand-in (docs/architecture.md §7): jongodb for
 * MongoDB (saved to the data directory by start-runtime), a local or started redis-server for Redis,
 * the bundled emulator for Meta, a development master key kept in the data directory. Each stand-in is announced as a warning; everything started is stopped by `stop()`,
 * in reverse order, also when a later step fails.
 */
export async function resolveEmbeddedDefaults(
  config: RuntimeConfig,
  logger: Logger,
): Promise<EmbeddedDefaults> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse())
      await step().catch((error: unknown) =>
        logger.error({ err: error }, 'stopping an embedded service failed'),
      );
    stops.length = 0;
  };
  try {
    // A free port is chosen up front so every URL derived from it (public URL, OAuth redirect) is known.
    const port = config.port === 0 ? await freePort() : config.port;
    let mongodbUri = config.mongodbUri;
    if (!mongodbUri) {
      const orphan = await killOrphanedJongodb(config.dataDir);
      if (orphan !== undefined)
        logger.warn(
          { pid: orphan },
          'stopped the jongodb a previous run left behind (it was killed without shutting down)',
        );
      const mongo = await startJongodb();
      stops.push(async () => {
        await mongo.stop();
        await removeJongodbPid(config.dataDir);
      });
      await writeJongodbPid(config.dataDir, mongo.pid);
      mongodbUri = mongo.uri;
      logger.warn(
        { mongodbUri, pid: mongo.pid },
        `\n${LOUD}\n  MONGODB_URI is not set: started an EMBEDDED MongoDB-compatible server (jongodb), DEVELOPMENT ONLY.\n  Its data is kept in ${config.dataDir} (saved every few seconds and at shutdown).\n  Set MONGODB_URI for a real deployment (see the runtime README, "Moving to MongoDB").\n${LOUD}`,
      );
    }

    const redis = await resolveRedis(config.redisUrl, config.dataDir);
    stops.push(() => redis.stop());
    if (redis.source === 'started')
      logger.warn(
        { redisUrl: redis.url, pid: redis.pid },
        'REDIS_URL is not set and nothing answers on 127.0.0.1:6379: started redis-server in memory',
      );
    if (redis.source === 'local-default')
      logger.info({ redisUrl: redis.url }, 'REDIS_URL is not set: using the Redis on 127.0.0.1:6379');

    let meta: ResolvedConfig['meta'];
    if (config.meta) {
      meta = {
        ...config.meta,
        graphUrl: config.metaGraphUrl,
        dialogUrl: config.metaDialogUrl,
        graphVersion: config.metaGraphVersion,
        source: 'environment',
      };
    } else {
      const emulator = await startEmbeddedMeta(config.metaGraphVersion, config.dataDir);
      stops.push(() => emulator.stop());
      if (emulator.movedFrom !== undefined)
        logger.warn(
          { savedPort: emulator.movedFrom, graphUrl: emulator.app.graphUrl },
          'the Meta emulator could not listen on its saved port again: configurations saved with the old emulator URL must be edited',
        );
      meta = emulator.app;
      logger.warn(
        { graphUrl: meta.graphUrl, dialogUrl: meta.dialogUrl, appId: meta.appId },
        'META_APP_ID / META_APP_SECRET are not set: every Meta URL points at the bundled Meta EMULATOR, not at Facebook',
      );
    }

    let masterKeys = config.masterKeys;
    let masterKeyId = config.masterKeyId;
    if (!masterKeys || !masterKeyId) {
      const saved = await dataDirMasterKey(config.dataDir);
      masterKeys = [saved.key];
      masterKeyId = saved.key.id;
      logger.warn(
        { masterKeyId, path: saved.path, created: saved.created },
        `\n${LOUD}\n  FLOWCARD_MASTER_KEYS is not set: using the DEVELOPMENT master key in ${saved.path}${saved.created ? ' (generated now)' : ''}.\n  Anyone who can read that file can read every saved secret. Set FLOWCARD_MASTER_KEYS in any real deployment.\n${LOUD}`,
      );
      if (saved.permissionsFixed)
        logger.warn(
          { path: saved.path },
          'the master key file was readable by others: its mode is 0600 again',
        );
    }

    return {
      config: {
        port,
        host: config.host,
        mongodbUri,
        mongodbDatabase: config.mongodbDatabase,
        redisUrl: redis.url,
        redisPrefix: config.redisPrefix,
        masterKeys,
        masterKeyId,
        meta,
        metaWebhookVerifyToken: config.metaWebhookVerifyToken ?? randomBytes(16).toString('hex'),
        publicUrl: config.publicUrl ?? `http://localhost:${port}`,
        connectorDirectories: config.connectorDirectories,
        connectorPackages: config.connectorPackages,
        dataDir: config.dataDir,
        reminderDays: config.reminderDays,
        ...(config.hookBodyLimitBytes ? { hookBodyLimitBytes: config.hookBodyLimitBytes } : {}),
        history: {
          maxAgeDays: config.history?.maxAgeDays ?? 14,
          // jongodb's writes slow down with collection size: keep the embedded history small.
          maxRuns: config.history?.maxRuns ?? (config.mongodbUri ? 10_000 : 1_000),
          pruneIntervalMs: config.history?.pruneIntervalMs ?? 60_000,
        },
        rateLimits: config.rateLimits,
        sessions: config.sessions,
        recovery: config.recovery,
        notifyWebhookUrl: config.notifyWebhookUrl,
        logLevel: config.logLevel,
        bootstrap: config.bootstrap,
        sandbox: config.sandbox,
        operators: config.operators,
        embedded: {
          mongodb: !config.mongodbUri,
          redis: redis.source,
          meta: !config.meta,
          masterKey: !config.masterKeys,
        },
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
