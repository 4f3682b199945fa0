import {
  FlowCache,
  FlowLifecycle,
  FlowRunner,
  MetaRateLimiter,
  ParkedSteps,
  RunHistory,
  RunHistoryWriter,
  RunStateStore,
  SunsetAwareStepExecutor,
  TRIGGER_QUEUE,
  TriggerPoller,
  TriggerRunStarter,
  TriggerWorker,
  WebhookRouter,
  type BlockedTriggerItems,
  type CardExecutor,
  type ConfigurationStatusPort,
  type ConnectorRegistry,
  type StepConfigurationSource,
} from '@flowcard/engine';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config/runtime-config';
import type { FlowStorePorts } from './flow-store-ports';
import { pinoCardLogger } from '../logging/pino-card-logger';

export interface FlowEngineDependencies {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly ports: FlowStorePorts;
  readonly registry: ConnectorRegistry;
  readonly executor: CardExecutor;
  readonly configurations: StepConfigurationSource;
  readonly configurationStatus: ConfigurationStatusPort;
  /** Looks for newly published connector versions now (the hot-loader's poll), when there is one. */
  readonly refreshConnectors?: () => Promise<void>;
  /** Trigger items that cannot run now become blocked runs here (runtime/src/connections). */
  readonly blocked?: BlockedTriggerItems;
}

/**
 * The flow engine of one runtime process, wired once: the step runner and its Redis state, the
 * shared rate limiter, run history, the trigger queue with the webhook router and the poller, and
 * what enabling a flow does. Building it opens no worker: the worker and scheduler services decide
 * what this process consumes; the API uses it to start runs, enqueue webhooks and read history.
 *
 * Redis: one connection of its own with `maxRetriesPerRequest: null` (BullMQ requires it), key
 * prefix FLOWCARD_REDIS_PREFIX for queues, live runs, parked steps, dedupe claims and budgets.
 */
export class FlowEngine {
  readonly connection: Redis;
  readonly state: RunStateStore;
  readonly parked: ParkedSteps;
  readonly limiter: MetaRateLimiter;
  readonly runner: FlowRunner;
  readonly history: RunHistory;
  readonly writer: RunHistoryWriter;
  readonly flows: FlowCache;
  readonly triggers: Queue;
  readonly starter: TriggerRunStarter;
  readonly router: WebhookRouter;
  readonly poller: TriggerPoller;
  readonly lifecycle: FlowLifecycle;
  private triggerWorker: TriggerWorker | undefined;
  private closed: Promise<void> | undefined;

  constructor(private readonly deps: FlowEngineDependencies) {
    const { config, ports, registry, executor, configurations } = deps;
    const prefix = config.redisPrefix;
    const logger = pinoCardLogger(deps.logger.child({ area: 'flows' }));
    this.connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (error: unknown) =>
      deps.logger.warn({ err: error }, 'flow engine Redis error'),
    );
    this.state = new RunStateStore({ redis: this.connection, keyPrefix: prefix });
    this.parked = new ParkedSteps({ redis: this.connection, keyPrefix: prefix });
    this.limiter = new MetaRateLimiter({
      redis: this.connection,
      keyPrefix: `${prefix}:rl`,
      app: { points: config.rateLimits.appPerMinute, durationSec: 60 },
      object: { points: config.rateLimits.pagePerMinute, durationSec: 60 },
    });
    this.runner = new FlowRunner({
      connection: this.connection,
      prefix,
      state: this.state,
      parked: this.parked,
      cards: {
        // A step runs only a card its run's workspace may see (defence in depth: saving checked it).
        card: (ref, workspaceId) =>
          workspaceId === undefined ? registry.card(ref) : registry.forWorkspace(workspaceId).card(ref),
        missingCardReason: (ref) => registry.missingCardReason(ref),
        ...(deps.refreshConnectors ? { refresh: deps.refreshConnectors } : {}),
      },
      // A step of a sunset connector whose service is gone fails with the lifecycle's message.
      executor: new SunsetAwareStepExecutor(executor, registry),
      configurations,
      configurationStatus: deps.configurationStatus,
      rateLimiter: this.limiter,
      // Every run is claimed in the store before it goes live in Redis (crash-safe intake).
      runs: ports.runs,
      logger,
    });
    this.history = new RunHistory(this.state, ports.runs);
    this.writer = new RunHistoryWriter({
      state: this.state,
      repository: ports.runs,
      onError: (error) => deps.logger.warn({ err: error }, 'run history batch not written yet; retrying'),
    });
    this.flows = new FlowCache({ repository: ports.flows });
    this.triggers = new Queue(TRIGGER_QUEUE, { connection: this.connection, prefix });
    this.starter = new TriggerRunStarter(this.runner);
    this.router = new WebhookRouter({
      queue: this.triggers,
      appSecret: config.meta.appSecret,
      cards: registry,
      flows: this.flows,
      configurations,
      fetcher: executor,
      starter: this.starter,
      ...(deps.blocked ? { blocked: deps.blocked } : {}),
      logger,
    });
    this.poller = new TriggerPoller({
      queue: this.triggers,
      cards: {
        card: (ref: string, workspaceId?: string) =>
          workspaceId === undefined ? registry.card(ref) : registry.forWorkspace(workspaceId).card(ref),
      },
      flows: this.flows,
      configurations,
      executor,
      state: ports.triggerState,
      starter: this.starter,
      parked: this.parked,
      ...(config.recovery.pollIntervalMs === undefined ? {} : { intervalMs: config.recovery.pollIntervalMs }),
      logger,
    });
    this.lifecycle = new FlowLifecycle({
      cards: registry,
      configurations,
      subscriber: executor,
      poller: this.poller,
      flows: ports.flows,
      cache: this.flows,
    });
  }

  /** Redis channel on which saved flows are announced, so every process drops its cached copy. */
  get invalidationChannel(): string {
    return `${this.deps.config.redisPrefix}:flows:invalidate`;
  }

  /** A flow was saved, enabled, disabled or deleted: drop it here and in every other process. */
  async flowChanged(flowId: string): Promise<void> {
    this.flows.invalidate(flowId);
    await this.connection.publish(this.invalidationChannel, flowId);
  }

  /** Consumes step jobs in this process (worker role). */
  startStepWorker(concurrency?: number): Worker {
    const worker = this.runner.createWorker({
      ...(concurrency === undefined ? {} : { concurrency }),
      ...this.jobLocks(),
    });
    worker.on('error', (error: unknown) => this.deps.logger.warn({ err: error }, 'step worker error'));
    return worker;
  }

  /** Consumes webhook and poll jobs in this process (worker role). */
  startTriggerWorker(): TriggerWorker {
    this.triggerWorker ??= new TriggerWorker({
      connection: this.connection,
      prefix: this.deps.config.redisPrefix,
      router: this.router,
      poller: this.poller,
      ...this.jobLocks(),
    });
    this.triggerWorker.worker.on('error', (error: unknown) =>
      this.deps.logger.warn({ err: error }, 'trigger worker error'),
    );
    return this.triggerWorker;
  }

  /**
   * Job locks of this process's workers: a worker that dies holding jobs (SIGKILL, lost machine)
   * gives them up after `jobLockMs`; the others look for such stalled jobs twice per lock period.
   */
  private jobLocks(): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
    const lockDuration = this.deps.config.recovery.jobLockMs;
    return {
      lockDuration,
      stalledInterval: Math.max(100, Math.floor(lockDuration / 2)),
      maxStalledCount: 10,
    };
  }

  /**
   * A configuration works again (re-authorised, token updated): every step parked on it resumes,
   * and each enabled flow it triggers polls now, collecting what arrived while it was broken.
   */
  async configurationRenewed(configurationId: string): Promise<{ resumed: number; backfilled: number }> {
    const resumed = await this.runner.resumeParked(configurationId);
    const flows = await this.deps.ports.flows.listEnabledByConfiguration(configurationId);
    const triggered = flows.filter((flow) => flow.spec.trigger.configurationId === configurationId);
    for (const flow of flows) this.flows.invalidate(flow.id);
    if (triggered.length > 0) await this.poller.backfill(triggered.map((flow) => flow.id));
    this.deps.logger.info(
      { configurationId, resumed, backfilled: triggered.length },
      'configuration renewed: parked steps resumed, trigger backfill queued',
    );
    return { resumed, backfilled: triggered.length };
  }

  /**
   * Graceful shutdown: workers stop taking jobs and finish (or hand back) their in-flight ones, the
   * history outbox is drained, then queues and the connection close. Safe to call twice.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.triggerWorker?.close();
      await this.runner.close();
      await this.writer
        .close()
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error }, 'run history left in the outbox for the next writer'),
        );
      await this.triggers.close();
      await this.connection.quit().catch(() => this.connection.disconnect());
    })();
    return this.closed;
  }
}
