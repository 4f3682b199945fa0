import type { ExecuteCardResult, ResolvedConfiguration } from '../executor/execute-card.types';
import type { FlowDocument } from '../ports/flow-repository';
import type { LoadedCard } from '../registry/loaded-connector';
import type { StepConfigurationSource } from '../runs/step-configuration-source';
import type { TriggerPoller } from '../triggers/trigger-poller';
import type { FlowCache } from './flow-cache';

/** The executor's subscribe/unsubscribe requests (CardExecutor satisfies it). */
export interface TriggerSubscriber {
  runTriggerRequest(
    card: LoadedCard,
    kind: 'subscribe' | 'unsubscribe',
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
  ): Promise<ExecuteCardResult>;
}

export interface FlowLifecycleOptions {
  cards: { card(ref: string): LoadedCard | undefined };
  configurations: StepConfigurationSource;
  subscriber: TriggerSubscriber;
  poller: TriggerPoller;
  /** Enabled flows by trigger key, straight from the store (not cached: this decides unsubscribing). */
  flows: { listEnabledByTriggerKey(triggerKey: string): Promise<FlowDocument[]> };
  cache?: FlowCache;
}

/**
 * What enabling and disabling a flow does beyond saving it: a webhook trigger subscribes its object
 * (`POST /{page-id}/subscribed_apps` for leads) and is unsubscribed when no other enabled flow
 * still listens there; a polling trigger (or a webhook trigger's reconciliation) gets its job
 * scheduler. Call after the store write.
 */
export class FlowLifecycle {
  constructor(private readonly options: FlowLifecycleOptions) {}

  async enabled(flow: FlowDocument): Promise<void> {
    this.options.cache?.invalidate(flow.id);
    const card = this.options.cards.card(flow.spec.trigger.card);
    if (!card) return;
    if (card.spec.trigger?.webhook?.subscribe) {
      const configuration = await this.options.configurations.get(flow.spec.trigger.configurationId ?? '');
      if (configuration)
        await this.options.subscriber.runTriggerRequest(card, 'subscribe', configuration, this.input(flow));
    }
    await this.options.poller.schedule(flow);
  }

  /** Call with the flow as it was (its trigger), after it was disabled or deleted in the store. */
  async disabled(flow: FlowDocument): Promise<void> {
    this.options.cache?.invalidate(flow.id);
    await this.options.poller.unschedule(flow.id);
    const card = this.options.cards.card(flow.spec.trigger.card);
    if (!card?.spec.trigger?.webhook?.unsubscribe || !flow.triggerKey) return;
    const others = (await this.options.flows.listEnabledByTriggerKey(flow.triggerKey)).filter(
      (other) => other.id !== flow.id,
    );
    if (others.length > 0) return;
    const configuration = await this.options.configurations.get(flow.spec.trigger.configurationId ?? '');
    if (configuration)
      await this.options.subscriber.runTriggerRequest(card, 'unsubscribe', configuration, this.input(flow));
  }

  private input(flow: FlowDocument): Record<string, unknown> {
    return (flow.spec.trigger.input ?? {}) as Record<string, unknown>;
  }
}
