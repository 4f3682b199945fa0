import 'reflect-metadata';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import type { DestinationStream, Logger } from 'pino';
import { loadConnectors } from '../catalog/load-connectors';
import { loadConfig } from '../config/load-config';
import type { ResolvedConfig, RuntimeConfig, RuntimeRole } from '../config/runtime-config';
import { buildContainer, getBound, resolveDependencies } from '../container/build-container';
import { httpBindingsModule } from '../container/http-bindings-module';
import { packageModules } from '../container/package-modules';
import { Ports } from '../container/port-tokens';
import { runtimeContainerModule } from '../container/runtime-container-module';
import { EmbeddedMongoSnapshots } from '../embedded/embedded-mongo-snapshots';
import { resolveEmbeddedDefaults } from '../embedded/resolve-embedded-defaults';
import { buildHttpServer } from '../http/build-http-server';
import type { RouteModule } from '../http/route-module';
import { routeModules } from '../http/route-modules';
import { createLogger } from '../logging/create-logger';
import type { RunningService, ServiceDefinition } from '../services/runtime-service';
import { runtimeServices } from '../services/runtime-services';
import { ensureStudioBuilt } from '../studio/studio-files';
import { printBanner } from './print-banner';
import type { RuntimeHandle } from './runtime-handle';

export interface StartRuntimeOptions {
  /** Defaults to all three roles (`flowcard start`). */
  roles?: readonly RuntimeRole[];
  /** Environment to read the configuration from; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** An already-loaded configuration (wins over env). */
  config?: RuntimeConfig;
  /** Where logs go (tests capture them); defaults to stdout. */
  logDestination?: DestinationStream;
  /** Defaults to the API's route-module list; tests may add modules. */
  routeModules?: readonly RouteModule[];
  /** Defaults to the service list. */
  services?: readonly ServiceDefinition[];
  /** Print the human banner (URLs, how to create the first admin); default true. */
  banner?: boolean;
}

/**
 * Starts a Flowcard runtime process: resolves configuration and embedded defaults, opens MongoDB and
 * Redis, builds the container, then starts the API and the background services of the given roles.
 * Anything started before a failure is stopped again before the error is rethrown.
 */
export async function startRuntime(options: StartRuntimeOptions = {}): Promise<RuntimeHandle> {
  const roles = options.roles ?? ['api', 'worker', 'scheduler'];
  const raw = options.config ?? loadConfig(options.env ?? process.env);
  const logger = createLogger({ level: raw.logLevel, destination: options.logDestination });
  const stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      for (const step of stops.reverse()) {
        logger.debug(`stopping ${step.what}`);
        await step
          .stop()
          .catch((error: unknown) => logger.error({ err: error }, `stopping ${step.what} failed`));
      }
      logger.info({ roles }, 'Flowcard stopped');
      logger.flush();
    })();
    return stopped;
  };

  try {
    const embedded = await resolveEmbeddedDefaults(raw, logger);
    stops.push({ what: 'embedded services', stop: embedded.stop });
    const config = embedded.config;

    const mongoConnection = await connectMongo(config);
    stops.push({ what: 'MongoDB connection', stop: () => mongoConnection.close() });
    if (config.embedded.mongodb) {
      const snapshots = await restoreEmbeddedMongo(mongoConnection, config, raw, logger);
      // Stopped after the services (their last history flush is in it), before the connection closes.
      stops.push({ what: 'embedded database snapshot', stop: () => snapshots.stop().then(() => undefined) });
    }
    const redis = await connectRedis(config);
    stops.push({ what: 'Redis connection', stop: () => redis.quit().then(() => undefined) });

    const container = buildContainer([
      runtimeContainerModule({ config, logger, mongoConnection, redis }),
      ...packageModules(config),
      httpBindingsModule(),
    ]);

    // Collections and indexes are created explicitly (autoCreate/autoIndex are off), once, before serving.
    await getBound(container, Ports.store).ensureIndexes();
    await loadConnectors(getBound(container, Ports.connectors), config, logger);

    const services = await startServices(container, options.services ?? runtimeServices, roles, logger);
    stops.push({ what: 'services', stop: () => stopServices(services, logger) });

    let http: RuntimeHandle['http'];
    if (roles.includes('api')) {
      ensureStudioBuilt(logger);
      const app = await buildHttpServer({ container, logger, modules: options.routeModules ?? routeModules });
      stops.push({ what: 'API', stop: () => app.close() });
      await app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${config.port}`;
      http = { app, url, studioUrl: `${url}/`, docsUrl: `${url}/docs` };
      logger.info({ url, docsUrl: http.docsUrl }, `API listening on ${url}`);
    }

    logger.info({ roles, services: services.map((s) => s.name) }, 'Flowcard started');
    if (options.banner !== false) printBanner({ roles, http, config });
    return { roles, config, logger, container, http, services: services.map((s) => s.name), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function connectMongo(config: ResolvedConfig): Promise<Connection> {
  // autoCreate/autoIndex off (docs/architecture.md §8): collections and indexes are created explicitly by the store.
  const connection = mongoose.createConnection(config.mongodbUri, {
    dbName: config.mongodbDatabase,
    autoCreate: false,
    autoIndex: false,
    serverSelectionTimeoutMS: 10_000,
    // The embedded database is saved by collection when a write command on it succeeded.
    monitorCommands: config.embedded.mongodb,
  });
  return connection.asPromise();
}

/** Loads the embedded database's last snapshot from the data directory and starts saving it. */
async function restoreEmbeddedMongo(
  connection: Connection,
  config: ResolvedConfig,
  raw: RuntimeConfig,
  logger: Logger,
): Promise<EmbeddedMongoSnapshots> {
  const snapshots = new EmbeddedMongoSnapshots({
    connection,
    dataDir: config.dataDir,
    database: config.mongodbDatabase,
    intervalMs: raw.embeddedSnapshotMs ?? 2000,
    logger,
  });
  const restored = await snapshots.restore();
  logger.info(
    restored,
    restored.restored
      ? `embedded database restored from ${restored.path} (${restored.documents} documents in ${restored.durationMs} ms)`
      : `embedded database is new; it will be saved to ${restored.path}`,
  );
  snapshots.start();
  return snapshots;
}

async function connectRedis(config: ResolvedConfig): Promise<Redis> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  return redis;
}

interface StartedService {
  readonly name: string;
  readonly running: RunningService;
}

async function startServices(
  container: Parameters<typeof resolveDependencies>[0],
  definitions: readonly ServiceDefinition[],
  roles: readonly RuntimeRole[],
  logger: Logger,
): Promise<StartedService[]> {
  const started: StartedService[] = [];
  try {
    for (const definition of definitions) {
      if (!definition.roles.some((role) => roles.includes(role))) continue;
      const running = definition.create(
        resolveDependencies(container, definition.dependencies, definition.optional),
      );
      await running.start();
      started.push({ name: definition.name, running });
      logger.info({ service: definition.name }, `service ${definition.name} started`);
    }
    return started;
  } catch (error) {
    await stopServices(started, logger);
    throw error;
  }
}

async function stopServices(services: readonly StartedService[], logger: Logger): Promise<void> {
  for (const service of [...services].reverse()) {
    await service.running
      .stop()
      .catch((error: unknown) =>
        logger.error({ err: error, service: service.name }, 'service did not stop cleanly'),
      );
  }
}
