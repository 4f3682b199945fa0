import { effectivePause } from '../flows/flow-pause';
import type { Queue } from 'bullmq';
import type { CardLogger } from '@flowcard/sdk';
import type { PollTriggerResult, ResolvedConfiguration, TriggerCursor } from '../executor/execute-card.types';
import type { FlowDocument } from '../ports/flow-repository';
import type { TriggerStateRepository } from '../ports/trigger-state-repository';
import type { LoadedCard } from '../registry/loaded-connector';
import type { ParkedSteps } from '../runs/parked-steps';
import type { StepConfigurationSource } from '../runs/step-configuration-source';
import type { TriggerRunStarter } from './trigger-run-starter';

/** The payload of a `flowcard-triggers` job named `poll`: the flow id only. */
export interface PollJobData {
  flowId: string;
}

/** The executor's poll (CardExecutor satisfies it). */
export interface TriggerPollExecutor {
  pollTrigger(
    card: LoadedCard,
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
    cursor?: TriggerCursor,
  ): Promise<PollTriggerResult>;
}

export interface TriggerPollerOptions {
  /** The `flowcard-triggers` queue (TriggerWorker consumes it). */
  queue: Queue;
  cards: { card(ref: string, workspaceId?: string): LoadedCard | undefined };
  /** Flows by id (FlowCache). */
  flows: { get(flowId: string): Promise<FlowDocument | null> };
  configurations: StepConfigurationSource;
  executor: TriggerPollExecutor;
  state: TriggerStateRepository;
  starter: TriggerRunStarter;
  /** When given, a configuration flagged as broken is not polled (its token would only be refused). */
  parked?: ParkedSteps;
  /** Override of every card's interval (tests, demos). */
  intervalMs?: number;
  logger?: CardLogger;
  now?: () => Date;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Polling triggers, and the reconciliation of webhook triggers (Meta misses webhooks): one BullMQ
 * job scheduler per enabled flow whose trigger card polls. Each poll asks for items newer than the
 * flow's stored cursor (`time_created` filtering for leads), starts a run per new item through the
 * shared dedupe (so an item the webhook already delivered starts nothing), then advances the
 * cursor. A poll refused for auth leaves the cursor where it was: after re-authorisation the next
 * poll (or `backfill`) collects everything created in the gap.
 */
export class TriggerPoller {
  private readonly logger: CardLogger;
  private readonly now: () => Date;

  constructor(private readonly options: TriggerPollerOptions) {
    this.logger = options.logger ?? SILENT;
    this.now = options.now ?? ((): Date => new Date());
  }

  /**
   * Starts polling a flow (call when it is enabled). The first cursor is "now": enabling a flow does
   * not replay the page's lead history. Idempotent (upsertJobScheduler).
   */
  async schedule(flow: FlowDocument): Promise<boolean> {
    const card = this.options.cards.card(flow.spec.trigger.card, flow.workspaceId);
    const polling = card?.spec.trigger?.polling;
    if (!polling) return false;
    if (!(await this.options.state.getState(flow.id))) {
      await this.options.state.advanceCursor(flow.id, Math.floor(this.now().getTime() / 1000), this.now());
    }
    const every = this.options.intervalMs ?? (polling.intervalSeconds ?? 300) * 1000;
    await this.options.queue.upsertJobScheduler(
      schedulerId(flow.id),
      { every },
      {
        name: 'poll',
        data: { flowId: flow.id } satisfies PollJobData,
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      },
    );
    return true;
  }

  /**
   * Re-creates the flow's poll schedule when Redis no longer has it (after a data loss); true when
   * it was missing. Unlike `schedule`, an existing schedule is left alone, so its rhythm is kept.
   */
  async ensureScheduled(flow: FlowDocument): Promise<boolean> {
    if (!this.options.cards.card(flow.spec.trigger.card)?.spec.trigger?.polling) return false;
    if (await this.options.queue.getJobScheduler(schedulerId(flow.id))) return false;
    return this.schedule(flow);
  }

  /** Stops polling a flow (disabled or deleted). */
  async unschedule(flowId: string): Promise<void> {
    await this.options.queue.removeJobScheduler(schedulerId(flowId));
  }

  /** Polls now, outside the schedule: after a configuration is re-authorised, for each flow it triggers. */
  async backfill(flowIds: readonly string[]): Promise<void> {
    await this.options.queue.addBulk(
      flowIds.map((flowId) => ({
        name: 'poll',
        data: { flowId } satisfies PollJobData,
        opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
      })),
    );
  }

  /** One poll of one flow; returns the run ids it started. Errors propagate (the worker decides). */
  async poll(flowId: string): Promise<string[]> {
    const flow = await this.options.flows.get(flowId);
    if (!flow || !flow.enabled) return [];
    const card = this.options.cards.card(flow.spec.trigger.card, flow.workspaceId);
    if (!card?.spec.trigger?.polling) return [];
    const configurationId = flow.spec.trigger.configurationId;
    if (configurationId === undefined) return [];
    if (this.options.parked && (await this.options.parked.isBroken(configurationId))) return [];
    const configuration = await this.options.configurations.get(configurationId);
    // Unusable or paused: the cursor stays where it is, so the first poll after a reconnect
    // collects everything that arrived meanwhile.
    if (!configuration || ['needs_reauth', 'expired', 'revoked'].includes(configuration.status)) return [];
    if (effectivePause(flow)) return [];
    const state = await this.options.state.getState(flow.id);
    const cursor: TriggerCursor =
      state?.cursor === null || state?.cursor === undefined ? {} : { since: state.cursor };
    const result = await this.options.executor.pollTrigger(
      card,
      configuration,
      (flow.spec.trigger.input ?? {}) as Record<string, unknown>,
      cursor,
    );
    const started: string[] = [];
    for (const item of result.items) {
      if (!item.key) continue;
      const runId = await this.options.starter.start(flow, item.key, item.output);
      if (runId) started.push(runId);
    }
    // Only after every item started: a crash before this re-polls the same window, and dedupe settles it.
    if (typeof result.cursor.since === 'number')
      await this.options.state.advanceCursor(flow.id, result.cursor.since, this.now());
    if (started.length > 0) this.logger.info('poll started runs', { flowId, runs: started.length });
    return started;
  }
}

function schedulerId(flowId: string): string {
  return `poll-${flowId}`;
}
