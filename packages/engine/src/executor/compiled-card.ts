import type { ConfigurationKindSpec } from '@flowcard/schemas';
import type { LoadedCard } from '../registry/loaded-connector';
import { compileTemplate, type CompiledTemplate } from '../templates/compile-template';
import { compileOutput, type CompiledOutput } from './compiled-output';
import { compileRequest, type CompiledRequest } from './compiled-request';
import { compileSchemaDefaults, type ApplyDefaults } from './schema-defaults';

/** Everything the executor needs from a card, compiled on first use and kept with the card. */
export interface CompiledCard {
  readonly applyDefaults: ApplyDefaults;
  readonly baseUrl: CompiledTemplate;
  readonly request?: CompiledRequest;
  readonly trigger?: CompiledTrigger;
}

export interface CompiledTrigger {
  readonly dedupeKey: CompiledTemplate;
  readonly itemOutput: CompiledOutput;
  readonly polling?: {
    readonly request?: CompiledRequest;
    readonly itemsPath?: string;
    readonly cursor?: CompiledTemplate;
    readonly handler?: string;
  };
  readonly webhook?: {
    readonly subscribe?: CompiledRequest;
    readonly unsubscribe?: CompiledRequest;
    readonly fetch: CompiledRequest;
  };
}

// Keyed by the loaded card object: a re-published connector brings new card objects, and the old
// compiled forms are collected with them.
const compiledCards = new WeakMap<LoadedCard, CompiledCard>();
const compiledBaseUrls = new WeakMap<ConfigurationKindSpec, CompiledTemplate>();

export function compiledCard(card: LoadedCard): CompiledCard {
  let compiled = compiledCards.get(card);
  if (!compiled) {
    compiled = compileCard(card);
    compiledCards.set(card, compiled);
  }
  return compiled;
}

function compileCard(card: LoadedCard): CompiledCard {
  const spec = card.spec;
  const trigger = spec.trigger;
  let baseUrl = compiledBaseUrls.get(card.configurationKind);
  if (!baseUrl) {
    baseUrl = compileTemplate(card.configurationKind.baseUrl);
    compiledBaseUrls.set(card.configurationKind, baseUrl);
  }
  return {
    applyDefaults: compileSchemaDefaults(spec.input),
    baseUrl,
    ...(spec.request ? { request: compileRequest(spec.request, card.ref) } : {}),
    ...(trigger
      ? {
          trigger: {
            dedupeKey: compileTemplate(trigger.dedupeKey),
            itemOutput: compileOutput(trigger.itemOutput, card.ref),
            ...(trigger.polling
              ? {
                  polling: {
                    ...(trigger.polling.request
                      ? { request: compileRequest(trigger.polling.request, card.ref) }
                      : {}),
                    ...(trigger.polling.itemsPath ? { itemsPath: trigger.polling.itemsPath } : {}),
                    ...(trigger.polling.cursor ? { cursor: compileTemplate(trigger.polling.cursor) } : {}),
                    ...(trigger.polling.handler ? { handler: trigger.polling.handler } : {}),
                  },
                }
              : {}),
            ...(trigger.webhook
              ? {
                  webhook: {
                    fetch: compileRequest(trigger.webhook.fetch, card.ref),
                    ...(trigger.webhook.subscribe
                      ? { subscribe: compileRequest(trigger.webhook.subscribe, card.ref) }
                      : {}),
                    ...(trigger.webhook.unsubscribe
                      ? { unsubscribe: compileRequest(trigger.webhook.unsubscribe, card.ref) }
                      : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
