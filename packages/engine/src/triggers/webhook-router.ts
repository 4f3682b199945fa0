import { createHash } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import type { CardLogger } from '@flowcard/sdk';
import type { ExecuteCardResult, ResolvedConfiguration } from '../executor/execute-card.types';
import { effectivePause } from '../flows/flow-pause';
import { webhookRouteKey } from '../flows/flow-trigger-key';
import type { ConfigurationStatus } from '../ports/configuration-repository';
import type { FlowDocument } from '../ports/flow-repository';
import type { LoadedCard } from '../registry/loaded-connector';
import type { StepConfigurationSource } from '../runs/step-configuration-source';
import { renderTemplate } from '../templates/render-template';
import { verifyMetaSignature } from './meta-signature';
import { parseMetaWebhook, type MetaWebhookChange } from './meta-webhook-payload';
import type { TriggerRunStarter } from './trigger-run-starter';

/** The payload of a `flowcard-triggers` job named `webhook`: one change, as Meta sent it (ids only). */
export interface WebhookJobData {
  provider: 'meta';
  change: MetaWebhookChange;
}

export type WebhookIngestResult = { status: 200; changes: number } | { status: 403; reason: string };

/** Cards with webhook triggers, by connector (ConnectorRegistry satisfies it via list()). */
export interface TriggerCardCatalog {
  list(): ReadonlyArray<{ cards: ReadonlyMap<string, LoadedCard> }>;
}

/** The executor's webhook request (CardExecutor satisfies it). */
export interface WebhookFetcher {
  runTriggerRequest(
    card: LoadedCard,
    kind: 'fetch',
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
    event?: unknown,
  ): Promise<ExecuteCardResult>;
}

/** A trigger item that cannot start a run now (see BlockedTriggerItems). */
export interface BlockedTriggerItem {
  readonly flow: FlowDocument;
  readonly card: LoadedCard;
  /** The webhook event as Meta sent it (ids only: the item itself could not be fetched). */
  readonly event: unknown;
  readonly configurationId: string;
  /** Why: the trigger configuration is gone (`missing`), unusable (its status), or the flow is paused. */
  readonly cause: 'missing' | 'paused' | ConfigurationStatus;
}

/**
 * Where trigger items go whose flow cannot run them now (the runtime records them as `blocked`
 * runs, replayable once reconnected). Without it such items are only logged; the poller backfills
 * what it can once the configuration works again.
 */
export interface BlockedTriggerItems {
  /** Records the item; returns the blocked run's id (null when it was recorded before). */
  block(item: BlockedTriggerItem): Promise<string | null>;
}

/** Configuration statuses that cannot fetch an item: the flow's items are blocked instead. */
const UNUSABLE: ReadonlySet<ConfigurationStatus> = new Set(['needs_reauth', 'expired', 'revoked']);

export interface WebhookRouterOptions {
  /** The `flowcard-triggers` queue (TriggerWorker consumes it). */
  queue: Queue;
  appSecret: string;
  cards: TriggerCardCatalog;
  /** Enabled flows by trigger key (FlowCache). */
  flows: { listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]> };
  configurations: StepConfigurationSource;
  fetcher: WebhookFetcher;
  starter: TriggerRunStarter;
  /** Records items that cannot run now as blocked runs (the runtime's blocked-run module). */
  blocked?: BlockedTriggerItems;
  logger?: CardLogger;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Meta webhooks: `ingest` is the HTTP side (verify the signature over the raw body, split the
 * delivery into changes, enqueue one job per change, answer at once); `handleChange` is the job
 * side (route by key to every enabled flow, filter, fetch the item once per configuration, start
 * one run per flow and item).
 */
export class WebhookRouter {
  private readonly logger: CardLogger;

  constructor(private readonly options: WebhookRouterOptions) {
    this.logger = options.logger ?? SILENT;
  }

  /**
   * Verifies and enqueues. 403 for forged or unsigned bodies, with a reason fit for logs (never the
   * body). The job id is a hash of the change, so Meta's repeated deliveries collapse while queued.
   */
  async ingest(rawBody: Buffer, signatureHeader: string | undefined): Promise<WebhookIngestResult> {
    const check = verifyMetaSignature(rawBody, signatureHeader, this.options.appSecret);
    if (!check.ok) {
      this.logger.warn('rejected a Meta webhook delivery', { reason: check.reason, bytes: rawBody.length });
      return { status: 403, reason: check.reason };
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      // Signed but not JSON: Meta would retry it forever; accept and drop.
      this.logger.warn('signed Meta webhook delivery is not JSON', { bytes: rawBody.length });
      return { status: 200, changes: 0 };
    }
    const changes = parseMetaWebhook(body);
    if (changes.length === 1) {
      // Meta's usual delivery carries one change: a plain add is one script call, where addBulk
      // wraps it in a MULTI transaction with its own bookkeeping.
      await this.options.queue.add('webhook', webhookJobData(changes[0]), webhookJobOptions(changes[0]));
    } else if (changes.length > 1) {
      await this.options.queue.addBulk(
        changes.map((change) => ({
          name: 'webhook',
          data: webhookJobData(change),
          opts: webhookJobOptions(change),
        })),
      );
    }
    return { status: 200, changes: changes.length };
  }

  /** Routes one change to its flows and starts their runs; returns the run ids started. */
  async handleChange(change: MetaWebhookChange): Promise<string[]> {
    const started: string[] = [];
    for (const card of this.listeningCards(change)) {
      const webhook = card.spec.trigger?.webhook;
      if (!webhook) continue;
      const route = renderTemplate(webhook.routeKey, { event: change.value });
      if (route === undefined || route === null || route === '') continue;
      const flows = (
        await this.options.flows.listEnabledByTriggerKey(
          webhookRouteKey('meta', change.object, change.field, String(route)),
        )
      ).filter(
        (flow) => flow.spec.trigger.card === card.ref && matchesFilter(webhook.filter, flow, change.value),
      );
      // One fetch per configuration: flows sharing a page configuration share the lead.
      const byConfiguration = new Map<string, FlowDocument[]>();
      for (const flow of flows) {
        const configurationId = flow.spec.trigger.configurationId ?? '';
        const list = byConfiguration.get(configurationId) ?? [];
        list.push(flow);
        byConfiguration.set(configurationId, list);
      }
      for (const [configurationId, group] of byConfiguration) {
        const configuration = await this.options.configurations.get(configurationId);
        const cause = !configuration
          ? 'missing'
          : UNUSABLE.has(configuration.status)
            ? configuration.status
            : null;
        const runnable = await this.blockUnrunnable(card, change, configurationId, cause, group, started);
        if (runnable.length === 0 || !configuration) continue;
        const input = (runnable[0].spec.trigger.input ?? {}) as Record<string, unknown>;
        const fetched = await this.options.fetcher.runTriggerRequest(
          card,
          'fetch',
          configuration,
          input,
          change.value,
        );
        const key = String(
          renderTemplate(card.spec.trigger?.dedupeKey ?? '{{item.id}}', {
            item: fetched.output,
            event: change.value,
          }) ?? '',
        );
        if (!key) continue;
        for (const flow of runnable) {
          const runId = await this.options.starter.start(flow, key, fetched.output);
          if (runId) started.push(runId);
        }
      }
    }
    return started;
  }

  /**
   * Hands the flows that cannot run this item (configuration gone or unusable, flow paused) to the
   * blocked-item sink and answers the others. Without a sink, unusable items are only logged: the
   * poller backfills from its cursor once the configuration works again.
   */
  private async blockUnrunnable(
    card: LoadedCard,
    change: MetaWebhookChange,
    configurationId: string,
    cause: BlockedTriggerItem['cause'] | null,
    group: FlowDocument[],
    started: string[],
  ): Promise<FlowDocument[]> {
    const sink = this.options.blocked;
    if (!sink) {
      if (cause) this.logger.warn('webhook item not fetched: configuration unusable', { configurationId });
      return cause ? [] : group;
    }
    const runnable: FlowDocument[] = [];
    for (const flow of group) {
      const flowCause = cause ?? (effectivePause(flow) ? 'paused' : null);
      if (!flowCause) {
        runnable.push(flow);
        continue;
      }
      const runId = await sink.block({ flow, card, event: change.value, configurationId, cause: flowCause });
      if (runId) started.push(runId);
    }
    return runnable;
  }

  private listeningCards(change: MetaWebhookChange): LoadedCard[] {
    const out: LoadedCard[] = [];
    for (const connector of this.options.cards.list()) {
      for (const card of connector.cards.values()) {
        const webhook = card.spec.trigger?.webhook;
        if (
          webhook &&
          webhook.provider === 'meta' &&
          webhook.object === change.object &&
          webhook.field === change.field
        )
          out.push(card);
      }
    }
    return out;
  }
}

function webhookJobData(change: MetaWebhookChange): WebhookJobData {
  return { provider: 'meta', change };
}

/** The job id hashes the change, so Meta's repeated deliveries of it collapse while it is queued. */
function webhookJobOptions(change: MetaWebhookChange): JobsOptions {
  return {
    jobId: `wh-${createHash('sha256').update(JSON.stringify(change)).digest('hex').slice(0, 32)}`,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
}

/** Each filter entry: event template → input template; an empty input value matches everything. */
function matchesFilter(
  filter: Record<string, string> | undefined,
  flow: FlowDocument,
  event: unknown,
): boolean {
  for (const [eventTemplate, inputTemplate] of Object.entries(filter ?? {})) {
    const wanted = renderTemplate(inputTemplate, { input: flow.spec.trigger.input ?? {} });
    if (wanted === undefined || wanted === null || wanted === '') continue;
    if (String(renderTemplate(eventTemplate, { event }) ?? '') !== String(wanted)) return false;
  }
  return true;
}
