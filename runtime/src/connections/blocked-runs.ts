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
  /** The run the item became (the blocked run's own id for every Meta webhook card). */
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
 * The blocked run's id is the id the item's real run will have (flow id + the item's key, which for
 * a card fetching `/{{event.x}}` with dedupe key `{{item.id}}` is the event's `x`): a replay, the
 * poller's backfill after a reconnect, and Meta's repeated deliveries all land on the same run,
 * so an item is never run twice and never lost.
 */
export class BlockedRuns implements BlockedTriggerItems {
  constructor(private readonly deps: BlockedRunsDependencies) {}

  async block(item: BlockedTriggerItem): Promise<string | null> {
    const key = eventItemKey(item.card, item.event);
    const runId = dedupedRunId(item.flow.id, key);
    if (await this.deps.runs.findRun(runId)) return null;
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
      // Below every live revision (they start at 1): the real run replaces this record.
      revision: 0,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    await this.deps.runs.saveRuns([record]);
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
    const configurationId = flow.spec.trigger.configurationId ?? '(none)';
    const configuration = flow.spec.trigger.configurationId
      ? await this.deps.configurations.get(flow.spec.trigger.configurationId)
      : null;
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
    const runId = started ?? dedupedRunId(flow.id, key);
    if (runId !== run.id) {
      // Only for cards whose item key cannot be read from the event: say where the item went.
      const now = this.deps.clock.now();
      await this.deps.runs.saveRuns([
        {
          ...run,
          status: 'failed',
          error: { code: 'FLOWCARD_ERR_RUN_REPLAYED', message: `Replayed as run ${runId}`, signal: null },
          revision: run.revision + 1,
          updatedAt: now,
          finishedAt: now,
        },
      ]);
    }
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
