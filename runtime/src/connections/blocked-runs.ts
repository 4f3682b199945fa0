import { createHash } from 'node:crypto';
import {
  dedupedRunId,
  effectivePause,
  FlowcardError,
  flowCodes,
  renderTemplate,
  type BlockedTriggerItem,
  type BlockedTriggerItems,
  type CardExecutor,
  type Clock,
  type ConnectorRegistry,
  type FlowDocument,
  type FlowRepository,
  type LoadedCard,
  type RunRecord,
  type RunRepository,
  type StepConfigurationSource,
  type TriggerRunStarter,
} from '@flowcard/engine';
import type { Logger } from 'pino';
import { roleAtLeast, type Principal } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import { runtimeErrorCodes } from '../http/errors/runtime-error-codes';
import type { ConcernedNotifier } from '../notifications/concerned-notifier';

/** Configuration statuses that cannot fetch a trigger item. */
const UNUSABLE = new Set(['needs_reauth', 'expired', 'revoked']);

export interface BlockedRunsDependencies {
  readonly runs: RunRepository;
  readonly flows: FlowRepository;
  readonly registry: ConnectorRegistry;
  readonly configurations: StepConfigurationSource;
  readonly executor: CardExecutor;
  /** The engine's run starter (the same claim + run creation as the webhook router's). */
  readonly starter: () => TriggerRunStarter;
  readonly notifier: ConcernedNotifier;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ReplayResult {
  /** The run the item became; the blocked run is now `replayed` and names it (`triggerOutput.replayedAs`). */
  readonly runId: string;
  readonly flowId: string;
  /** False when the item had already started its run (e.g. the poller's backfill got there first). */
  readonly started: boolean;
}

/**
 * Trigger items that cannot run now (the flow's configuration is gone or unusable, or the flow is
 * paused) become runs in `blocked` state instead of a log line: the webhook event is kept in the
 * run (ids only), the flow's owner is told once per cause, and `replay` turns the run into the
 * run it would have been once the flow works again.
 *
 * A blocked run is a record of its own (one per flow and item: Meta's repeated deliveries find
 * it); replaying starts the item's real run, whose id is derived from flow + item key like every
 * trigger run's, so a replay and the poller's backfill after a reconnect land on one run, and the
 * blocked run becomes `replayed`, naming it. An item is never run twice and never lost. After an
 * in-place renewal (same configuration re-authorised) the blocked runs of the flows it triggers are
 * replayed by themselves (`replayForConfiguration`).
 */
export class BlockedRuns implements BlockedTriggerItems {
  constructor(private readonly deps: BlockedRunsDependencies) {}

  async block(item: BlockedTriggerItem): Promise<string | null> {
    const key = eventItemKey(item.card, item.event);
    // Meta delivered it again after it ran: nothing waits.
    if (await this.deps.runs.findRun(dedupedRunId(item.flow.id, key))) return null;
    const runId = blockedRunId(item.flow.id, key);
    const why = describe(item);
    const now = this.deps.clock.now();
    const message = new FlowcardError(runtimeErrorCodes.FLOWCARD_ERR_RUN_BLOCKED, { why }).message;
    const record: RunRecord = {
      id: runId,
      flowId: item.flow.id,
      workspaceId: item.flow.workspaceId,
      flowVersion: item.flow.version,
      status: 'blocked',
      triggerOutput: { event: item.event },
      dedupeKey: key,
      currentStepId: null,
      error: { code: 'FLOWCARD_ERR_RUN_BLOCKED', message, signal: null },
      revision: 0,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    // Inserted once per item (Meta's repeated deliveries find it); not in flight, so the run
    // reconciler leaves it alone.
    if (!(await this.deps.runs.claimRun({ ...record, ownerId: item.flow.ownerId, spec: null }))) return null;
    this.deps.logger.warn(
      { flowId: item.flow.id, runId, configurationId: item.configurationId, cause: item.cause },
      'trigger item blocked: kept as a blocked run until the flow is reconnected',
    );
    const epoch = item.cause === 'paused' ? String(effectivePause(item.flow)?.at.getTime() ?? 0) : item.cause;
    await this.deps.notifier.notifyConcerned(
      {
        id: item.configurationId,
        workspaceId: item.flow.workspaceId,
        ownerId: item.flow.ownerId,
        sharing: { mode: 'private', userIds: [] },
      },
      {
        kind: 'flow.items_blocked',
        title: `${item.flow.spec.name}: new items are waiting`,
        body: `A new item for the flow "${item.flow.spec.name}" could not run: ${why}. It waits as a blocked run; replay it once the flow is reconnected.`,
        configurationId: item.configurationId,
        data: { flowId: item.flow.id, runId, cause: item.cause },
        dedupeKey: `flow.items_blocked:${item.flow.id}:${item.configurationId}:${epoch}`,
      },
      { flows: [] },
    );
    return runId;
  }

  /** Replays one blocked run (the flow's owner or an admin), once the flow can run it. */
  async replay(principal: Principal, runId: string): Promise<ReplayResult> {
    const run = await this.deps.runs.findRun(runId);
    if (!run || run.workspaceId !== principal.workspace.id)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_RUN_NOT_FOUND, { runId });
    const flow = await this.deps.flows.findById(run.flowId);
    if (!flow) throw new FlowcardError(flowCodes.FLOWCARD_ERR_FLOW_NOT_FOUND, { flowId: run.flowId });
    if (flow.ownerId !== principal.user.id && !roleAtLeast(principal.role, 'admin'))
      throw apiError('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN', { action: 'replay runs of' });
    if (run.status !== 'blocked')
      throw apiError('FLOWCARD_ERR_RUN_NOT_BLOCKED', { runId, status: run.status });
    return this.replayRun(flow, run);
  }

  /**
   * A configuration works again (re-authorised in place): replays the blocked runs of every enabled
   * flow it triggers, as the system. Returns how many were replayed.
   */
  async replayForConfiguration(configurationId: string): Promise<number> {
    let replayed = 0;
    for (const flow of await this.deps.flows.listEnabledByConfiguration(configurationId)) {
      if (flow.spec.trigger.configurationId !== configurationId) continue;
      for (const run of await this.deps.runs.listRuns({ flowId: flow.id, status: 'blocked', limit: 1000 })) {
        try {
          await this.replayRun(flow, run);
          replayed += 1;
        } catch (error) {
          this.deps.logger.warn(
            { flowId: flow.id, runId: run.id, err: error },
            'blocked run not replayed after the renewal; it stays blocked',
          );
        }
      }
    }
    return replayed;
  }

  /** Replays every blocked run of a flow; runs that still cannot run are counted, not failed. */
  async replayFlow(
    principal: Principal,
    flowId: string,
  ): Promise<{ replayed: ReplayResult[]; stillBlocked: number }> {
    const flow = await this.deps.flows.findById(flowId);
    if (!flow || flow.workspaceId !== principal.workspace.id)
      throw new FlowcardError(flowCodes.FLOWCARD_ERR_FLOW_NOT_FOUND, { flowId });
    if (flow.ownerId !== principal.user.id && !roleAtLeast(principal.role, 'admin'))
      throw apiError('FLOWCARD_ERR_FLOW_MANAGE_FORBIDDEN', { action: 'replay runs of' });
    const blocked = await this.deps.runs.listRuns({ flowId, status: 'blocked', limit: 1000 });
    const replayed: ReplayResult[] = [];
    let stillBlocked = 0;
    for (const run of blocked) {
      try {
        replayed.push(await this.replayRun(flow, run));
      } catch (error) {
        if ((error as { code?: string }).code !== 'FLOWCARD_ERR_RUN_STILL_BLOCKED') throw error;
        stillBlocked += 1;
      }
    }
    return { replayed, stillBlocked };
  }

  private async replayRun(flow: FlowDocument, run: RunRecord): Promise<ReplayResult> {
    const pause = effectivePause(flow);
    if (pause)
      throw apiError('FLOWCARD_ERR_RUN_STILL_BLOCKED', {
        runId: run.id,
        why: `the flow is paused: ${pause.reason}`,
      });
    const configurationId = flow.spec.trigger.configurationId ?? '';
    const configuration = configurationId ? await this.deps.configurations.get(configurationId) : null;
    if (!configuration || UNUSABLE.has(configuration.status))
      throw apiError('FLOWCARD_ERR_RUN_STILL_BLOCKED', {
        runId: run.id,
        why: configuration
          ? `its configuration ${configurationId} is ${configuration.status}`
          : `its configuration ${configurationId} no longer exists`,
      });
    const card = this.deps.registry.card(flow.spec.trigger.card);
    if (!card?.spec.trigger?.webhook)
      throw apiError('FLOWCARD_ERR_RUN_STILL_BLOCKED', {
        runId: run.id,
        why: `the trigger card ${flow.spec.trigger.card} is not installed`,
      });
    const event = (run.triggerOutput as { event?: unknown } | null)?.event;
    const input = (flow.spec.trigger.input ?? {}) as Record<string, unknown>;
    const fetched = await this.deps.executor.runTriggerRequest(card, 'fetch', configuration, input, event);
    const key = String(
      renderTemplate(card.spec.trigger.dedupeKey ?? '{{item.id}}', { item: fetched.output, event }) ?? '',
    );
    const started = await this.deps.starter().start(flow, key, fetched.output);
    // The item's run, started now or already (by the backfill after a reconnect): one run per item.
    const runId = started ?? dedupedRunId(flow.id, key);
    const now = this.deps.clock.now();
    await this.deps.runs.saveRuns([
      {
        ...run,
        status: 'replayed',
        triggerOutput: {
          ...((run.triggerOutput as Record<string, unknown> | null) ?? {}),
          replayedAs: runId,
        },
        error: null,
        revision: run.revision + 1,
        updatedAt: now,
        finishedAt: now,
      },
    ]);
    return { runId, flowId: flow.id, started: started !== null };
  }
}

/**
 * The key the item will have once fetched, read from the event: a card that fetches `/{{event.x}}`
 * and dedupes on `{{item.id}}` fetches the node whose id is `x` (every Graph webhook card does).
 * Otherwise a hash of the event, so repeated deliveries still collapse.
 */
export function eventItemKey(card: LoadedCard, event: unknown): string {
  const trigger = card.spec.trigger;
  const fetchPath = trigger?.webhook?.fetch?.path ?? '';
  const byId = /^\/\{\{\s*event\.([\w.]+)\s*\}\}$/.exec(fetchPath);
  if (byId && (trigger?.dedupeKey ?? '{{item.id}}').replace(/\s/g, '') === '{{item.id}}') {
    const value = renderTemplate(`{{event.${byId[1]}}}`, { event });
    if (value !== undefined && value !== null && value !== '') return String(value);
  }
  return `event:${createHash('sha256')
    .update(JSON.stringify(event ?? null))
    .digest('hex')
    .slice(0, 32)}`;
}

function describe(item: BlockedTriggerItem): string {
  const lost = item.flow.paused?.configurations.find(
    (configuration) => configuration.id === item.configurationId,
  );
  const name = lost ? `"${lost.nickname}"` : item.configurationId;
  switch (item.cause) {
    case 'missing':
      return `its configuration ${name} was removed`;
    case 'paused':
      return `the flow is paused: ${effectivePause(item.flow)?.reason ?? 'a configuration it uses was removed'}`;
    case 'expired':
      return `the access of its configuration ${name} expired`;
    case 'needs_reauth':
      return `its configuration ${name} must be reconnected`;
    default:
      return `its configuration ${name} is ${item.cause}`;
  }
}

/** The blocked run of an item: its own id, one per flow and item. */
function blockedRunId(flowId: string, key: string): string {
  return dedupedRunId(flowId, `blocked\u0000${key}`);
}
