import {
  configurationIdsOf,
  mapCardSteps,
  type Clock,
  type Configuration,
  type FlowDocument,
  type FlowPause,
  type FlowRepository,
  type UserRepository,
} from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { mayUse } from '../configurations/configuration-access';
import type { Principal } from '../http/auth/principal';
import { apiError } from '../http/errors/api-error';
import type { ConcernedNotifier } from '../notifications/concerned-notifier';

const PAGE = 100;

/** One configuration a removal takes away, as the confirmation shows it. */
export interface ImpactConfiguration {
  readonly id: string;
  readonly nickname: string;
  readonly connector: string;
  readonly ownerId: string;
  readonly ownerEmail: string | null;
  readonly sharing: string;
  readonly pageId: string | null;
  /** Owned by the caller. */
  readonly yours: boolean;
}

/** One flow that would stop running, as the confirmation shows it. */
export interface ImpactFlow {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly ownerEmail: string | null;
  readonly enabled: boolean;
  /** Which of the removed configurations it uses. */
  readonly configurationIds: readonly string[];
  readonly yours: boolean;
}

/**
 * What removing configurations (deleting one, disconnecting a Meta account) takes away: every
 * configuration and every flow using them, other people's first. `confirmationRequired` when it
 * reaches beyond the caller's own configurations without flows.
 */
export interface RemovalImpact {
  readonly configurations: readonly ImpactConfiguration[];
  readonly flows: readonly ImpactFlow[];
  readonly confirmationRequired: boolean;
}

/** The impact plus the documents behind it, to act on after the removal. */
interface ImpactDocuments {
  readonly impact: RemovalImpact;
  readonly flows: readonly FlowDocument[];
}

export interface ConnectionRemovalsDependencies {
  readonly flows: FlowRepository;
  readonly users: UserRepository;
  readonly notifier: ConcernedNotifier;
  readonly redis: Redis;
  /** Redis channel on which changed flows are announced (every process drops its cached copy). */
  readonly flowInvalidationChannel: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Nothing removed without consent, nothing dropped (connections, issue "never fail silently"):
 * before a removal, `impact` lists every configuration and flow it reaches; `requireConsent`
 * refuses (409, with that list) a removal reaching other people or flows unless confirmed; after it,
 * `removed` pauses each affected flow with the reason and tells everyone concerned; and when the
 * same Page is connected again, `reconnected` points the paused flows at the new configuration and
 * lifts their pause (their blocked runs can then be replayed).
 */
export class ConnectionRemovals {
  constructor(private readonly deps: ConnectionRemovalsDependencies) {}

  async impact(principal: Principal, configurations: readonly Configuration[]): Promise<RemovalImpact> {
    return (await this.impactDocuments(principal, configurations)).impact;
  }

  /**
   * Throws FLOWCARD_ERR_REMOVAL_NOT_CONFIRMED (409, the impact in `details`) when the removal reaches
   * flows or other people's configurations and `confirmed` is false; answers what to act on after.
   */
  async requireConsent(
    principal: Principal,
    configurations: readonly Configuration[],
    confirmed: boolean,
  ): Promise<readonly FlowDocument[]> {
    const { impact, flows } = await this.impactDocuments(principal, configurations);
    if (impact.confirmationRequired && !confirmed) {
      throw apiError('FLOWCARD_ERR_REMOVAL_NOT_CONFIRMED', { summary: summary(impact) }, [
        ...impact.configurations.map((item) => ({ where: 'impact', kind: 'configuration', ...item })),
        ...impact.flows.map((item) => ({ where: 'impact', kind: 'flow', ...item })),
      ]);
    }
    return flows;
  }

  /**
   * After the configurations are gone: each enabled flow using one is paused with the reason (it
   * keeps receiving trigger items, which wait as `blocked` runs), its owner is told, and so are
   * the configurations' owners and, for shared ones, the workspace admins. Once per event each.
   */
  async removed(
    principal: Principal,
    configurations: readonly Configuration[],
    flows: readonly FlowDocument[],
    how: 'deleted' | 'disconnected',
  ): Promise<void> {
    const at = this.deps.clock.now();
    const by = `${principal.user.email}`;
    for (const configuration of configurations) {
      await this.deps.notifier.notifyConcerned(
        configuration,
        {
          kind: 'configuration.removed',
          title: `${configuration.nickname}: removed`,
          body: `"${configuration.nickname}" (${configuration.connector}) was ${how === 'deleted' ? 'deleted' : 'disconnected from Meta'} by ${by}. Flows using it are paused; their new items wait as blocked runs until it is reconnected.`,
          configurationId: configuration.id,
          data: { by: principal.user.id, how },
          dedupeKey: `configuration.removed:${configuration.id}`,
        },
        { flows: [] },
      );
    }
    const removedIds = new Set(configurations.map((configuration) => configuration.id));
    for (const flow of flows) {
      const lost = configurations.filter((configuration) => usedBy(flow.spec).has(configuration.id));
      if (!flow.enabled || lost.length === 0) continue;
      const names = lost.map((configuration) => `"${configuration.nickname}"`).join(', ');
      const pause: FlowPause = {
        code: 'configuration_removed',
        reason: `${names} ${lost.length === 1 ? 'was' : 'were'} ${how === 'deleted' ? 'deleted' : 'disconnected'} by ${by} on ${at.toISOString().slice(0, 10)}`,
        at,
        configurations: [
          ...(flow.paused?.configurations.filter((configuration) => !removedIds.has(configuration.id)) ?? []),
          ...lost.map((configuration) => ({
            id: configuration.id,
            connector: configuration.connector,
            nickname: configuration.nickname,
            externalIds: { ...configuration.externalIds },
          })),
        ],
      };
      const paused = await this.updateFlow(flow, { paused: pause });
      if (!paused) continue;
      await this.deps.notifier.notifyConcerned(
        {
          id: lost[0]!.id,
          workspaceId: flow.workspaceId,
          ownerId: flow.ownerId,
          sharing: { mode: 'private', userIds: [] },
        },
        {
          kind: 'flow.paused',
          title: `${flow.spec.name}: paused`,
          body: `The flow "${flow.spec.name}" is paused: ${pause.reason}. New items wait as blocked runs; reconnect, then replay them.`,
          configurationId: lost[0]!.id,
          data: { flowId: flow.id, reason: pause.reason },
          dedupeKey: `flow.paused:${flow.id}:${at.getTime()}`,
        },
        { flows: [] },
      );
    }
  }

  /**
   * A configuration was created by connecting again: flows paused because a configuration of the
   * same connector and Page went away, whose owner may use the new one, are pointed at it and run
   * again. Returns the flows resumed.
   */
  async reconnected(configuration: Configuration): Promise<string[]> {
    const resumed: string[] = [];
    for (const flow of await this.workspaceFlows(configuration.workspaceId)) {
      if (!flow.paused) continue;
      if (!mayUse(configuration, { userId: flow.ownerId, workspaceId: flow.workspaceId })) continue;
      const replaced = flow.paused.configurations.filter((lost) => sameTarget(lost, configuration));
      if (replaced.length === 0) continue;
      const ids = new Set(replaced.map((lost) => lost.id));
      const spec = repoint(flow.spec, ids, configuration.id);
      const left = flow.paused.configurations.filter((lost) => !ids.has(lost.id));
      const updated = await this.updateFlow(flow, {
        spec,
        paused: left.length > 0 ? { ...flow.paused, configurations: left } : null,
      });
      if (!updated) continue;
      resumed.push(flow.id);
      await this.deps.notifier.notifyConcerned(
        {
          id: configuration.id,
          workspaceId: flow.workspaceId,
          ownerId: flow.ownerId,
          sharing: { mode: 'private', userIds: [] },
        },
        {
          kind: 'flow.resumed',
          title: `${flow.spec.name}: running again`,
          body: `The flow "${flow.spec.name}" now uses "${configuration.nickname}" and runs again. Its blocked runs wait for you to replay them.`,
          configurationId: configuration.id,
          data: { flowId: flow.id },
          dedupeKey: `flow.resumed:${flow.id}:${configuration.id}`,
        },
        { flows: [] },
      );
    }
    // No backfill poll here: items that arrived meanwhile are blocked runs the owner replays (one
    // run each, same ids), and the trigger's cursor did not move while it could not poll, so its
    // next scheduled poll collects whatever the webhooks missed.
    return resumed;
  }

  private async impactDocuments(
    principal: Principal,
    configurations: readonly Configuration[],
  ): Promise<ImpactDocuments> {
    const ids = new Set(configurations.map((configuration) => configuration.id));
    const flows = (await this.workspaceFlows(principal.workspace.id)).filter((flow) =>
      [...usedBy(flow.spec)].some((id) => ids.has(id)),
    );
    const emails = new Map<string, string | null>();
    const emailOf = async (userId: string): Promise<string | null> => {
      if (!emails.has(userId)) emails.set(userId, (await this.deps.users.findById(userId))?.email ?? null);
      return emails.get(userId) ?? null;
    };
    const mine = (ownerId: string): boolean => ownerId === principal.user.id;
    const configurationViews: ImpactConfiguration[] = [];
    for (const configuration of configurations) {
      configurationViews.push({
        id: configuration.id,
        nickname: configuration.nickname,
        connector: configuration.connector,
        ownerId: configuration.ownerId,
        ownerEmail: await emailOf(configuration.ownerId),
        sharing: configuration.sharing.mode,
        pageId: configuration.externalIds.metaPageId ?? null,
        yours: mine(configuration.ownerId),
      });
    }
    const flowViews: ImpactFlow[] = [];
    for (const flow of flows) {
      flowViews.push({
        id: flow.id,
        name: flow.spec.name,
        ownerId: flow.ownerId,
        ownerEmail: await emailOf(flow.ownerId),
        enabled: flow.enabled,
        configurationIds: [...usedBy(flow.spec)].filter((id) => ids.has(id)),
        yours: mine(flow.ownerId),
      });
    }
    const othersFirst = <T extends { yours: boolean }>(list: T[]): T[] =>
      [...list].sort((a, b) => Number(a.yours) - Number(b.yours));
    const impact: RemovalImpact = {
      configurations: othersFirst(configurationViews),
      flows: othersFirst(flowViews),
      confirmationRequired: flowViews.length > 0 || configurationViews.some((view) => !view.yours),
    };
    return { impact, flows };
  }

  private async workspaceFlows(workspaceId: string): Promise<FlowDocument[]> {
    const all: FlowDocument[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await this.deps.flows.listByWorkspace({ workspaceId, afterId, limit: PAGE });
      all.push(...page);
      if (page.length < PAGE) return all;
      afterId = page[page.length - 1]!.id;
    }
  }

  /** Version-checked, re-read once on a conflict; false when the flow is gone or keeps changing. */
  private async updateFlow(
    flow: FlowDocument,
    patch: Parameters<FlowRepository['update']>[2],
  ): Promise<FlowDocument | null> {
    let current: FlowDocument | null = flow;
    for (let attempt = 0; attempt < 3 && current; attempt += 1) {
      try {
        const updated = await this.deps.flows.update(current.id, current.version, patch);
        await this.deps.redis.publish(this.deps.flowInvalidationChannel, updated.id);
        return updated;
      } catch (error) {
        if ((error as { code?: string }).code !== 'FLOWCARD_ERR_STORE_VERSION_CONFLICT') throw error;
        current = await this.deps.flows.findById(flow.id);
      }
    }
    this.deps.logger.warn({ flowId: flow.id }, 'flow not updated after a configuration removal or reconnect');
    return null;
  }
}

function usedBy(spec: FlowSpec): Set<string> {
  return configurationIdsOf(spec);
}

/** The same connector and the same Meta Page (or, without a Page, the same connector and nickname). */
function sameTarget(lost: FlowPause['configurations'][number], configuration: Configuration): boolean {
  if (lost.connector !== configuration.connector) return false;
  const page = lost.externalIds.metaPageId;
  if (page) return configuration.externalIds.metaPageId === page;
  return lost.nickname === configuration.nickname;
}

function repoint(spec: FlowSpec, from: ReadonlySet<string>, to: string): FlowSpec {
  const swap = (id: string | undefined): string | undefined => (id !== undefined && from.has(id) ? to : id);
  return {
    ...spec,
    trigger: { ...spec.trigger, configurationId: swap(spec.trigger.configurationId) },
    steps: mapCardSteps(spec.steps, (step) => ({ ...step, configurationId: swap(step.configurationId) })),
  };
}

function summary(impact: RemovalImpact): string {
  const others = impact.configurations.filter((item) => !item.yours).length;
  const parts = [
    `${impact.configurations.length} configuration(s)${others > 0 ? `, ${others} of them other people's` : ''}`,
  ];
  if (impact.flows.length > 0) parts.push(`${impact.flows.length} flow(s) that would be paused`);
  return parts.join(' and ');
}
