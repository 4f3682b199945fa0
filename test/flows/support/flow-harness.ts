import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import type { FlowSpec } from '@flowcard/schemas';
import { CardExecutor } from '../../../packages/engine/src/executor/card-executor';
import type { FlowDocument } from '../../../packages/engine/src/ports/flow-repository';
import type { FlowcardStore } from '../../../packages/engine/src/ports/flowcard-store';
import {
  MetaRateLimiter,
  type MetaRateLimiterOptions,
} from '../../../packages/engine/src/rate-limit/meta-rate-limiter';
import { ConnectorRegistry } from '../../../packages/engine/src/registry/connector-registry';
import { FlowRunner, type FlowRunnerOptions } from '../../../packages/engine/src/runs/flow-runner';
import { ParkedSteps } from '../../../packages/engine/src/runs/parked-steps';
import { RunHistory } from '../../../packages/engine/src/runs/run-history';
import { RunHistoryWriter } from '../../../packages/engine/src/runs/run-history-writer';
import { RunStateStore } from '../../../packages/engine/src/runs/run-state-store';
import type { ConfigurationStatusPort } from '../../../packages/engine/src/runs/step-configuration-source';
import { createMongoStore } from '../../../packages/store/src/create-mongo-store';
import { redisUrl, uniqueName } from '../../support/env';
import { openTestDatabase } from '../../support/mongo';
import { CountingRunRepository } from './counting-run-repository';
import { MemoryConfigurations } from './memory-configurations';

export interface FlowHarness {
  emulator: MetaEmulator;
  redis: Redis;
  prefix: string;
  registry: ConnectorRegistry;
  executor: CardExecutor;
  configurations: MemoryConfigurations;
  /** The mongoose store on a fresh database of this test file (jongodb, or MONGODB_URI). */
  store: FlowcardStore;
  /** `store.runs`, counting batch writes. */
  repository: CountingRunRepository;
  state: RunStateStore;
  parked: ParkedSteps;
  runner: FlowRunner;
  writer: RunHistoryWriter;
  history: RunHistory;
  limiter: MetaRateLimiter;
  reauthEvents: Array<Parameters<ConfigurationStatusPort['needsReauth']>[0]>;
  permissionEvents: Array<Parameters<NonNullable<ConfigurationStatusPort['permissionMissing']>>[0]>;
  /** A flow document around a spec (what the flow repository would hold). */
  flow(spec: FlowSpec, id?: string): FlowDocument;
  close(): Promise<void>;
}

export interface FlowHarnessOptions {
  file: string;
  runner?: Partial<FlowRunnerOptions>;
  limiter?: Partial<MetaRateLimiterOptions>;
}

/** Everything a flow test needs, real: Redis, BullMQ, MongoDB (the store), the emulator over HTTP, the registry with our connectors, the executor. */
export async function startFlowHarness(options: FlowHarnessOptions): Promise<FlowHarness> {
  const prefix = uniqueName(options.file);
  const emulator = await startMetaEmulator();
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const registry = new ConnectorRegistry();
  const report = await registry.loadFrom({ directories: [join(__dirname, '..', '..', '..', 'connectors')] });
  if (report.failures.length > 0)
    throw new Error(`connectors failed to load: ${JSON.stringify(report.failures)}`);
  const executor = new CardExecutor();
  const configurations = new MemoryConfigurations();
  const database = await openTestDatabase(options.file);
  const store = createMongoStore(database.connection);
  await store.ensureIndexes();
  const repository = new CountingRunRepository(store.runs);
  const state = new RunStateStore({ redis, keyPrefix: prefix });
  const parked = new ParkedSteps({ redis, keyPrefix: prefix });
  const limiter = new MetaRateLimiter({ redis, keyPrefix: `${prefix}:rl`, ...options.limiter });
  const reauthEvents: FlowHarness['reauthEvents'] = [];
  const permissionEvents: FlowHarness['permissionEvents'] = [];
  const runner = new FlowRunner({
    connection: redis,
    prefix,
    state,
    parked,
    cards: registry,
    executor,
    configurations,
    rateLimiter: limiter,
    configurationStatus: {
      needsReauth: async (event) => {
        reauthEvents.push(event);
        configurations.update(event.configurationId, { status: 'needs_reauth' });
      },
      permissionMissing: async (event) => {
        permissionEvents.push(event);
      },
    },
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    // Runs are claimed in the store first, as in production.
    runs: repository,
    ...options.runner,
  });
  const writer = new RunHistoryWriter({ state, repository, flushIntervalMs: 50 });
  writer.start();
  const history = new RunHistory(state, repository);
  let flowCount = 0;
  return {
    emulator,
    redis,
    prefix,
    registry,
    executor,
    configurations,
    store,
    repository,
    state,
    parked,
    runner,
    writer,
    history,
    limiter,
    reauthEvents,
    permissionEvents,
    flow: (spec, id) => {
      flowCount += 1;
      const now = new Date();
      return {
        id: id ?? `flow${flowCount}`,
        workspaceId: 'ws1',
        ownerId: 'u1',
        spec,
        enabled: true,
        triggerKey: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
    },
    close: async () => {
      await runner.close();
      await writer.close();
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      await redis.quit();
      await emulator.close();
      await database.close();
    },
  };
}
