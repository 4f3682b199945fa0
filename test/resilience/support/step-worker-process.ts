import { join } from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { CardExecutor } from '../../../packages/engine/src/executor/card-executor';
import { MetaRateLimiter } from '../../../packages/engine/src/rate-limit/meta-rate-limiter';
import { ConnectorRegistry } from '../../../packages/engine/src/registry/connector-registry';
import { ConfigurationCache } from '../../../packages/engine/src/runs/configuration-cache';
import { FlowRunner } from '../../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../../packages/engine/src/runs/parked-steps';
import { RunStateStore } from '../../../packages/engine/src/runs/run-state-store';
import { EnvKeyProvider } from '../../../packages/engine/src/secrets/env-key-provider';
import { SecretSealer } from '../../../packages/engine/src/secrets/secret-sealer';
import { createMongoStore } from '../../../packages/store/src/create-mongo-store';

/** What the parent passes in FLOWCARD_STEP_WORKER (JSON): everything a worker process needs to join the others. */
export interface StepWorkerProcessConfig {
  redisUrl: string;
  /** BullMQ and run-state key prefix: the same for every worker of one test. */
  prefix: string;
  mongoUri: string;
  dbName: string;
  concurrency: number;
  /** Short lock and stalled check so a killed worker's jobs come back within seconds, not 30 s. */
  lockDuration: number;
  stalledInterval: number;
}

/** What a worker process tells its parent over IPC, so the test knows which jobs it held when it died. */
export type StepWorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'active'; jobId: string }
  | { type: 'completed'; jobId: string; outcome: string }
  | { type: 'failed'; jobId: string; message: string };

function send(message: StepWorkerMessage): void {
  process.send?.(message);
}

/**
 * A step worker as the runtime's `worker` process builds it: the real registry of our connectors,
 * the real executor, configurations read from MongoDB through the ConfigurationCache and opened with
 * the master key (FLOWCARD_MASTER_KEYS), run state and jobs in Redis. Started by the resilience
 * tests as a child process so that one can be killed with SIGKILL.
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.env.FLOWCARD_STEP_WORKER ?? '') as StepWorkerProcessConfig;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const connection = mongoose.createConnection(config.mongoUri, {
    dbName: config.dbName,
    autoCreate: false,
    autoIndex: false,
    serverMonitoringMode: 'poll',
  });
  await connection.asPromise();
  const store = createMongoStore(connection);
  const sealer = new SecretSealer(EnvKeyProvider.fromEnv());
  const registry = new ConnectorRegistry();
  const report = await registry.loadFrom({ directories: [join(__dirname, '..', '..', '..', 'connectors')] });
  if (report.failures.length > 0)
    throw new Error(`connectors failed to load: ${report.failures.map((f) => f.source).join(', ')}`);
  const state = new RunStateStore({ redis, keyPrefix: config.prefix });
  const runner = new FlowRunner({
    connection: redis,
    prefix: config.prefix,
    state,
    parked: new ParkedSteps({ redis, keyPrefix: config.prefix }),
    cards: registry,
    executor: new CardExecutor(),
    configurations: new ConfigurationCache({
      repository: store.configurations,
      open: (sealed) => sealer.open(sealed),
    }),
    rateLimiter: new MetaRateLimiter({ redis, keyPrefix: `${config.prefix}:rl` }),
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 500 },
  });
  const worker = runner.createWorker({
    concurrency: config.concurrency,
    lockDuration: config.lockDuration,
    stalledInterval: config.stalledInterval,
  });
  worker.on('active', (job) => send({ type: 'active', jobId: String(job.id) }));
  worker.on('completed', (job, outcome) =>
    send({ type: 'completed', jobId: String(job.id), outcome: String(outcome) }),
  );
  worker.on('failed', (job, error) =>
    send({ type: 'failed', jobId: String(job?.id), message: error.message }),
  );
  await worker.waitUntilReady();

  // SIGTERM is the graceful path (finish in-flight jobs); SIGKILL, the point of the test, skips it.
  process.once('SIGTERM', () => {
    void runner
      .close()
      .then(() => Promise.all([redis.quit(), connection.close()]))
      .finally(() => process.exit(0));
  });
  send({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `step worker process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
