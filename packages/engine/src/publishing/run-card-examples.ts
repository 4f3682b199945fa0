import { CardExecutor } from '../executor/card-executor';
import type { ResolvedConfiguration } from '../executor/execute-card.types';
import type { LoadedCard, LoadedConnector } from '../registry/loaded-connector';

/** The outcome of one example of one card (or of a card without examples). */
export interface CardExampleOutcome {
  readonly card: string;
  /** 1-based index of the example in the card's `examples`; absent for a skipped card. */
  readonly example?: number;
  readonly title?: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped, or what passed (`1 call`, `3 items`). */
  readonly detail: string;
  /** Registered error code of a failure, when it has one. */
  readonly code?: string;
  readonly durationMs: number;
}

export interface RunCardExamplesOptions {
  /** The configuration each card runs with (by its configuration kind). */
  configurationFor(card: LoadedCard): ResolvedConfiguration;
  executor?: CardExecutor;
  /** Called before each example, e.g. to reset the emulator so every example starts from its seed data. */
  beforeExample?(): void | Promise<void>;
  /** Called after each outcome, so a CLI can print as it goes. */
  onOutcome?(outcome: CardExampleOutcome): void;
}

/**
 * Runs every example of every card of a connector against a live service (the Meta emulator, a
 * local server, a sandbox) and checks the *shape* of what comes back: the output must validate
 * against the card's output schema. Values are not compared — a live service answers with its own
 * ids and times. Actions run their input; polling triggers run one poll with the example's input
 * and check every item. Webhook triggers and cards without examples are skipped, with the reason.
 */
export async function runCardExamples(
  connector: LoadedConnector,
  options: RunCardExamplesOptions,
): Promise<CardExampleOutcome[]> {
  const executor = options.executor ?? new CardExecutor();
  const outcomes: CardExampleOutcome[] = [];
  const report = (outcome: CardExampleOutcome): void => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  };
  for (const card of [...connector.cards.values()].sort((a, b) => (a.spec.key < b.spec.key ? -1 : 1))) {
    const examples = card.spec.examples ?? [];
    const skip = skipReason(card);
    if (skip !== undefined || examples.length === 0) {
      report({
        card: card.spec.key,
        status: 'skipped',
        detail: skip ?? 'no examples: add one to the card file',
        durationMs: 0,
      });
      continue;
    }
    for (const [index, example] of examples.entries()) {
      const started = Date.now();
      const base = {
        card: card.spec.key,
        example: index + 1,
        ...(example.title === undefined ? {} : { title: example.title }),
      };
      try {
        await options.beforeExample?.();
        const detail = await runExample(
          executor,
          card,
          options.configurationFor(card),
          example.input as Record<string, unknown>,
        );
        report({ ...base, status: 'passed', detail, durationMs: Date.now() - started });
      } catch (error) {
        const { message, code } = describeFailure(error);
        report({
          ...base,
          status: 'failed',
          detail: message,
          ...(code === undefined ? {} : { code }),
          durationMs: Date.now() - started,
        });
      }
    }
  }
  return outcomes;
}

function skipReason(card: LoadedCard): string | undefined {
  if (card.spec.kind === 'trigger' && card.spec.trigger?.type === 'webhook') {
    return 'webhook trigger: it runs when a delivery arrives; test it in a flow (the emulator can send deliveries)';
  }
  return undefined;
}

async function runExample(
  executor: CardExecutor,
  card: LoadedCard,
  configuration: ResolvedConfiguration,
  input: Record<string, unknown>,
): Promise<string> {
  if (card.spec.kind === 'trigger') {
    // pollTrigger validates every item against the output schema itself.
    const { items, calls } = await executor.pollTrigger(card, configuration, input);
    return `${plural(items.length, 'item')}, ${plural(calls, 'call')}`;
  }
  const { output, calls } = await executor.execute({ card, configuration, input });
  // execute() already validated the output; checked again so this never passes on a silent change there.
  if (!card.validateOutput(output))
    throw new Error(`output does not match the output schema: ${JSON.stringify(card.validateOutput.errors)}`);
  return plural(calls, 'call');
}

function describeFailure(error: unknown): { message: string; code?: string } {
  const value = error as { message?: unknown; code?: unknown } | undefined;
  return {
    message: typeof value?.message === 'string' ? value.message : String(error),
    ...(typeof value?.code === 'string' ? { code: value.code } : {}),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
