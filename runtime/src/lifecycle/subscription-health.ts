import type {
  CardExecutor,
  ConnectorRegistry,
  FlowDocument,
  FlowRepository,
  LoadedCard,
} from '@flowcard/engine';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type {
  ConfigurationResolver,
  ResolvedSavedConfiguration,
} from '../configurations/configuration-resolver';
import type { ConfigurationService } from '../configurations/configuration-service';
import { MetaGraphClient } from '../connect-meta/meta-graph-client';
import { MetaGraphError } from '../connect-meta/meta-graph-error';
import type { MetaAppResolver } from '../meta-app/meta-app-resolver';
import type { ConcernedNotifier } from '../notifications/concerned-notifier';

const PAGE = 100;
const UNUSABLE = new Set(['needs_reauth', 'expired', 'revoked']);

/** The last check of one configuration's webhook subscription, as the API shows it. */
export interface SubscriptionCheck {
  /**
   * `subscribed`: the app receives the field's webhooks for the Page; `resubscribed`: it did not,
   * and this check subscribed it again (the gap is backfilled); `failing`: it does not and could
   * not be subscribed again (the people concerned were told).
   */
  readonly status: 'subscribed' | 'resubscribed' | 'failing';
  readonly field: string;
  readonly checkedAt: string;
  /** Why it is failing (a Graph error code, never a token). */
  readonly detail: string | null;
  /** Since when it has been failing (one notification per failing spell). */
  readonly failingSince: string | null;
}

export interface SubscriptionReport {
  readonly checked: number;
  readonly resubscribed: number;
  readonly failing: number;
}

export interface SubscriptionHealthDependencies {
  readonly flows: FlowRepository;
  readonly registry: ConnectorRegistry;
  readonly resolver: ConfigurationResolver;
  readonly executor: CardExecutor;
  readonly metaApps: MetaAppResolver;
  readonly configurationService: () => ConfigurationService;
  readonly notifier: ConcernedNotifier;
  readonly redis: Redis;
  /** Redis hash of the last checks, e.g. `<prefix>:subscription-health`. */
  readonly key: string;
  readonly clock: { now(): Date };
  readonly logger: Logger;
  /** Polls these flows now (the engine's poller backfill): what arrived while unsubscribed. */
  readonly backfill: (flowIds: readonly string[]) => Promise<void>;
}

/**
 * Subscription health: Meta webhooks reach us only while the app is subscribed on each Page
 * (`/{page-id}/subscribed_apps` with `leadgen`), and a Page admin can remove that at any time. For
 * every configuration that an enabled webhook-triggered flow listens through, the check reads the
 * Page's subscribed apps; when ours lacks the field it subscribes again with the card's own
 * `subscribe` request and polls the flows at once so the gap's items are backfilled; when that
 * fails it tells the people concerned once per failing spell. The last result of each configuration
 * is kept in Redis and shown on the configuration (`subscription`).
 */
export class SubscriptionHealth {
  constructor(private readonly deps: SubscriptionHealthDependencies) {}

  async run(): Promise<SubscriptionReport> {
    const report = { checked: 0, resubscribed: 0, failing: 0 };
    for (const [configurationId, { card, flows }] of await this.listening()) {
      const check = await this.checkOne(configurationId, card, flows);
      if (!check) continue;
      report.checked += 1;
      if (check.status === 'resubscribed') report.resubscribed += 1;
      if (check.status === 'failing') report.failing += 1;
    }
    if (report.resubscribed > 0 || report.failing > 0)
      this.deps.logger.info({ subscriptions: report }, 'webhook subscription check');
    return report;
  }

  /** The last checks of these configurations, by id (absent: never checked, or nothing listens). */
  async healthOf(configurationIds: readonly string[]): Promise<Map<string, SubscriptionCheck>> {
    const found = new Map<string, SubscriptionCheck>();
    if (configurationIds.length === 0) return found;
    const values = await this.deps.redis.hmget(this.deps.key, ...configurationIds);
    configurationIds.forEach((id, index) => {
      const value = values[index];
      if (value) found.set(id, JSON.parse(value) as SubscriptionCheck);
    });
    return found;
  }

  private async checkOne(
    configurationId: string,
    card: LoadedCard,
    flows: readonly FlowDocument[],
  ): Promise<SubscriptionCheck | null> {
    let configuration: ResolvedSavedConfiguration;
    try {
      configuration = await this.deps.resolver.resolve(configurationId);
    } catch {
      return null; // gone: its flows are paused and their items blocked (removals)
    }
    const pageId = configuration.values.pageId;
    const token = configuration.secrets.accessToken;
    const field = card.spec.trigger?.webhook?.field ?? 'leadgen';
    if (UNUSABLE.has(configuration.status) || typeof pageId !== 'string' || typeof token !== 'string')
      return null;
    const previous = (await this.healthOf([configurationId])).get(configurationId);
    const now = this.deps.clock.now().toISOString();
    let check: SubscriptionCheck;
    try {
      const client = new MetaGraphClient(await this.deps.metaApps.appFor(configuration.workspaceId));
      const fields = await client.pageSubscribedFields(pageId, token);
      if (fields.includes(field)) {
        check = { status: 'subscribed', field, checkedAt: now, detail: null, failingSince: null };
      } else {
        await this.deps.executor.runTriggerRequest(card, 'subscribe', configuration, {
          ...(flows[0]!.spec.trigger.input ?? {}),
        });
        check = { status: 'resubscribed', field, checkedAt: now, detail: null, failingSince: null };
        await this.resubscribed(configurationId, pageId, field, flows);
      }
    } catch (error) {
      const detail = describeFailure(error);
      check = {
        status: 'failing',
        field,
        checkedAt: now,
        detail,
        failingSince: previous?.status === 'failing' ? (previous.failingSince ?? now) : now,
      };
      await this.failing(configurationId, pageId, check, flows);
    }
    await this.deps.redis.hset(this.deps.key, configurationId, JSON.stringify(check));
    return check;
  }

  private async resubscribed(
    configurationId: string,
    pageId: string,
    field: string,
    flows: readonly FlowDocument[],
  ): Promise<void> {
    this.deps.logger.warn(
      { configurationId, pageId, field },
      'webhook subscription was missing at Meta: subscribed again, backfilling the gap',
    );
    const stored = await this.deps.configurationService().stored(configurationId);
    if (stored)
      await this.deps
        .configurationService()
        .record('system', stored, 'configuration.resubscribed', { pageId, field });
    await this.deps.backfill(flows.map((flow) => flow.id));
  }

  private async failing(
    configurationId: string,
    pageId: string,
    check: SubscriptionCheck,
    flows: readonly FlowDocument[],
  ): Promise<void> {
    this.deps.logger.warn(
      { configurationId, pageId, detail: check.detail },
      'webhook subscription check failed',
    );
    const stored = await this.deps.configurationService().stored(configurationId);
    if (!stored) return;
    await this.deps.notifier.notifyConcerned(
      stored,
      {
        kind: 'configuration.subscription_failing',
        title: `${stored.nickname}: Meta stopped sending ${check.field} webhooks`,
        body: `Meta no longer sends "${check.field}" webhooks for the Page of "${stored.nickname}" (${stored.connector}), and subscribing again failed: ${check.detail}. New items arrive only through the 15-minute poll until it is reconnected.`,
        configurationId,
        data: { pageId, field: check.field, detail: check.detail },
        dedupeKey: `configuration.subscription_failing:${configurationId}:${check.failingSince}`,
      },
      { flows },
    );
  }

  /** Trigger configurations of enabled flows whose webhook card subscribes, with their flows. */
  private async listening(): Promise<Map<string, { card: LoadedCard; flows: FlowDocument[] }>> {
    const found = new Map<string, { card: LoadedCard; flows: FlowDocument[] }>();
    let afterId: string | undefined;
    for (;;) {
      const page = await this.deps.flows.listEnabled({ afterId, limit: PAGE });
      for (const flow of page) {
        const card = this.deps.registry.card(flow.spec.trigger.card);
        const configurationId = flow.spec.trigger.configurationId;
        if (!card?.spec.trigger?.webhook?.subscribe || !configurationId) continue;
        const entry = found.get(configurationId) ?? { card, flows: [] };
        entry.flows.push(flow);
        found.set(configurationId, entry);
      }
      if (page.length < PAGE) return found;
      afterId = page[page.length - 1]!.id;
    }
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof MetaGraphError)
    return `Graph error ${error.code ?? error.httpStatus ?? 'unknown'}${error.kind === 'unavailable' ? ' (Meta unavailable)' : ''}`;
  const failure = error as { code?: unknown; message?: unknown };
  return typeof failure.code === 'string' ? failure.code : 'the subscription request failed';
}
