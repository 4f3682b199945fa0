import { resolve } from 'node:path';
import type { CardHttpClient, CardLogger, Clock, HandlerContext, JsonValue } from '@flowcard/sdk';
import { cardErrorFor } from '../errors/classify-http-error';
import { classifyHandlerError } from '../errors/classify-handler-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';
import { ConnectorHttpClient, type CallTarget } from '../http/connector-http-client';
import type { LoadedCard } from '../registry/loaded-connector';
import { getAtPath, parsePath } from '../templates/object-path';
import type { TemplateContext } from '../templates/template-context';
import { compiledCard, type CompiledCard } from './compiled-card';
import type { CompiledRequest } from './compiled-request';
import type {
  ExecuteCardRequest,
  ExecuteCardResult,
  PollTriggerResult,
  ResolvedConfiguration,
  TriggerCursor,
  TriggerItem,
  TriggerRequestKind,
} from './execute-card.types';
import type { HandlerSandbox } from '../sandbox/handler-sandbox';
import { toKey } from '../sandbox/sandbox-modules';
import { sameOriginHttp } from '../sandbox/same-origin-http';
import { loadHandlerModule } from './handler-modules';
import { runRequest } from './run-request';
import { validationMessage } from './validation-message';

export interface CardExecutorOptions {
  /** Shared HTTP client (keep-alive pool, page-token cache); one per process is the intent. */
  httpClient?: ConnectorHttpClient;
  logger?: CardLogger;
  clock?: Clock;
  /** Where handler code runs when `sandboxes(card)` says so (default: every card); absent: in this process. */
  sandbox?: HandlerSandbox;
  /** Which cards' handlers run in the sandbox; the runtime sandboxes every connector it does not ship. */
  sandboxes?: (card: LoadedCard) => boolean;
}

/** What a polling handler returns: raw items (dedupe key and output come from the card) and the next cursor. */
interface PollingHandlerResult {
  items?: unknown[];
  cursor?: TriggerCursor;
}

const SILENT: CardLogger = { debug() {}, info() {}, warn() {}, error() {} };
const SYSTEM_CLOCK: Clock = { now: () => new Date() };
const DATA = parsePath('data');
const ABSOLUTE_URL = /^https?:\/\/[^/]/i;

/**
 * Runs one card: validates the input (defaults applied), renders the declarative request (or calls
 * the handler with a typed context), injects credentials, follows pages, selects the output and
 * validates it. Every failure is a CardError with a registered code and a flow signal.
 * The hot path compiles nothing: templates, JSONata and validators are compiled once per card.
 */
export class CardExecutor {
  private readonly http: ConnectorHttpClient;
  private readonly logger: CardLogger;
  private readonly clock: Clock;
  private readonly sandbox: HandlerSandbox | undefined;
  private readonly sandboxes: (card: LoadedCard) => boolean;

  constructor(options: CardExecutorOptions = {}) {
    this.http = options.httpClient ?? new ConnectorHttpClient();
    this.logger = options.logger ?? SILENT;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.sandbox = options.sandbox;
    this.sandboxes = options.sandboxes ?? (() => true);
  }

  async execute(request: ExecuteCardRequest): Promise<ExecuteCardResult> {
    const { card, configuration } = request;
    const compiled = compiledCard(card);
    const input = this.validInput(card, compiled, request.input);
    let result: ExecuteCardResult;
    if (card.spec.handler && card.handlerPath) {
      result = await this.runHandler(card, configuration, input, request);
    } else if (compiled.request) {
      const context: TemplateContext = { input, config: configuration.values };
      const outcome = await runRequest(
        this.http,
        this.target(card, compiled, configuration),
        compiled.request,
        context,
        request.signal,
      );
      const output = await compiled.request.output.select(outcome.body, input, configuration.values);
      result = {
        output: output as JsonValue,
        calls: outcome.calls,
        ...(outcome.usage ? { usage: outcome.usage } : {}),
      };
    } else {
      throw cardErrorFor(codes.FLOWCARD_ERR_CARD_NOT_EXECUTABLE, {
        card: card.ref,
        what: 'execute (no request or handler)',
      });
    }
    this.validOutput(card, result.output);
    return result;
  }

  /**
   * One poll of a polling trigger: runs its request (or polling handler) with {{cursor.since}},
   * turns each item into {key, output, time} and returns items not older than the cursor, oldest
   * first, with the advanced cursor. Equal times are kept on purpose: the dedupe key settles them,
   * and dropping them could lose an item created in the same second as the last one seen.
   */
  async pollTrigger(
    card: LoadedCard,
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
    cursor: TriggerCursor = {},
  ): Promise<PollTriggerResult> {
    const compiled = compiledCard(card);
    const polling = compiled.trigger?.polling;
    if (!compiled.trigger || !polling)
      throw cardErrorFor(codes.FLOWCARD_ERR_CARD_NOT_EXECUTABLE, {
        card: card.ref,
        what: 'poll (no polling trigger)',
      });
    const valid = this.validInput(card, compiled, input);
    let rawItems: unknown[];
    let calls = 0;
    let usage: PollTriggerResult['usage'];
    let handlerCursor: TriggerCursor | undefined;
    if (polling.handler) {
      const outcome = await this.callHandler(card, configuration, polling.handler, { input: valid, cursor });
      const returned = (outcome.output ?? {}) as PollingHandlerResult;
      rawItems = Array.isArray(returned.items) ? returned.items : [];
      handlerCursor = returned.cursor;
      calls = outcome.calls;
    } else if (polling.request) {
      const context: TemplateContext = { input: valid, config: configuration.values, cursor };
      const outcome = await runRequest(
        this.http,
        this.target(card, compiled, configuration),
        polling.request,
        context,
      );
      const selected = await polling.request.output.select(outcome.body, valid, configuration.values);
      const items = polling.itemsPath
        ? getAtPath(selected, parsePath(polling.itemsPath))
        : Array.isArray(selected)
          ? selected
          : getAtPath(selected, DATA);
      rawItems = Array.isArray(items) ? items : [];
      calls = outcome.calls;
      usage = outcome.usage;
    } else {
      throw cardErrorFor(codes.FLOWCARD_ERR_CARD_NOT_EXECUTABLE, {
        card: card.ref,
        what: 'poll (no request or handler)',
      });
    }

    const since = typeof cursor.since === 'number' ? cursor.since : undefined;
    let newest = since;
    const items: TriggerItem[] = [];
    for (const item of rawItems) {
      const context: TemplateContext = { item, input: valid, config: configuration.values };
      const time = polling.cursor ? unixSeconds(polling.cursor.render(context)) : undefined;
      if (since !== undefined && time !== undefined && time < since) continue;
      if (time !== undefined && (newest === undefined || time > newest)) newest = time;
      const output = (await compiled.trigger.itemOutput.select(item, valid, configuration.values, {
        item,
      })) as JsonValue;
      this.validOutput(card, output);
      items.push({
        key: String(compiled.trigger.dedupeKey.render(context) ?? ''),
        output,
        ...(time === undefined ? {} : { time }),
      });
    }
    if (items.every((item) => item.time !== undefined)) items.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
    const nextCursor: TriggerCursor =
      handlerCursor ?? (newest === undefined ? cursor : { ...cursor, since: newest });
    return { items, cursor: nextCursor, calls, ...(usage ? { usage } : {}) };
  }

  /**
   * A webhook trigger's request: `subscribe`/`unsubscribe` when a flow is enabled/disabled (a card
   * without one returns null output and makes no call), `fetch` to turn an event (the change value,
   * {{event.x}}) into the trigger's output, which is then validated like any card output.
   */
  async runTriggerRequest(
    card: LoadedCard,
    kind: TriggerRequestKind,
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
    event?: unknown,
  ): Promise<ExecuteCardResult> {
    const compiled = compiledCard(card);
    const webhook = compiled.trigger?.webhook;
    if (!compiled.trigger || !webhook)
      throw cardErrorFor(codes.FLOWCARD_ERR_CARD_NOT_EXECUTABLE, {
        card: card.ref,
        what: `${kind} (no webhook trigger)`,
      });
    const request: CompiledRequest | undefined = webhook[kind];
    if (!request) return { output: null, calls: 0 };
    const valid = this.validInput(card, compiled, input);
    const context: TemplateContext = { input: valid, config: configuration.values, event };
    const outcome = await runRequest(this.http, this.target(card, compiled, configuration), request, context);
    let output = await request.output.select(outcome.body, valid, configuration.values);
    if (kind === 'fetch') {
      // The fetched object is this trigger's item, as a polled one is: `{{item.x}}` means the same in both.
      output = await compiled.trigger.itemOutput.select(output, valid, configuration.values, {
        event,
        item: output,
      });
      this.validOutput(card, output);
    }
    return {
      output: output as JsonValue,
      calls: outcome.calls,
      ...(outcome.usage ? { usage: outcome.usage } : {}),
    };
  }

  private validInput(
    card: LoadedCard,
    compiled: CompiledCard,
    input: Record<string, unknown> | undefined,
  ): Record<string, unknown> {
    const withDefaults = compiled.applyDefaults(input ?? {});
    if (!card.validateInput(withDefaults)) {
      throw cardErrorFor(codes.FLOWCARD_ERR_INPUT_INVALID, {
        errors: validationMessage('input', card.validateInput.errors),
      });
    }
    return withDefaults;
  }

  private validOutput(card: LoadedCard, output: unknown): void {
    if (!card.validateOutput(output)) {
      throw cardErrorFor(codes.FLOWCARD_ERR_OUTPUT_INVALID, {
        errors: validationMessage('output', card.validateOutput.errors),
      });
    }
  }

  private target(card: LoadedCard, compiled: CompiledCard, configuration: ResolvedConfiguration): CallTarget {
    const baseUrl = String(compiled.baseUrl.render({ config: configuration.values }) ?? '');
    if (!ABSOLUTE_URL.test(baseUrl))
      throw cardErrorFor(codes.FLOWCARD_ERR_BASE_URL_INVALID, { card: card.ref, baseUrl });
    return { auth: card.configurationKind.auth, configuration, baseUrl };
  }

  private async runHandler(
    card: LoadedCard,
    configuration: ResolvedConfiguration,
    input: Record<string, unknown>,
    request: ExecuteCardRequest,
  ): Promise<ExecuteCardResult> {
    const outcome = await this.callHandler(card, configuration, card.spec.handler as string, input, request);
    return { output: (outcome.output ?? null) as JsonValue, calls: outcome.calls };
  }

  /**
   * Calls the handler module `entry` (a path inside the connector) with `arg`: in the sandbox when
   * this card's connector is sandboxed, else in this process. Either way a failure is a CardError.
   */
  private async callHandler(
    card: LoadedCard,
    configuration: ResolvedConfiguration,
    entry: string,
    arg: unknown,
    request?: ExecuteCardRequest,
  ): Promise<{ output: unknown; calls: number }> {
    const counter = { calls: 0 };
    const context = this.handlerContext(card, configuration, request, counter);
    if (this.sandbox && this.sandboxes(card)) {
      const baseUrl = this.target(card, compiledCard(card), configuration).baseUrl;
      const output = await this.sandbox.run({
        connectorDir: card.connector.dir,
        ...(configuration.workspaceId ? { workspaceId: configuration.workspaceId } : {}),
        card: card.ref,
        entry: toKey(entry),
        arg,
        config: context.config,
        ...(context.secrets ? { secrets: context.secrets } : {}),
        connector: context.connector,
        cardKey: context.card,
        now: context.clock.now(),
        http: sameOriginHttp(context.http, baseUrl, card.ref),
        logger: context.logger,
        redact: Object.values(configuration.secrets),
      });
      return { output, calls: counter.calls };
    }
    const handler = loadHandlerModule(resolve(card.connector.dir, entry), toKey(entry));
    try {
      return { output: await handler(context, arg), calls: counter.calls };
    } catch (error) {
      throw classifyHandlerError(error, card.ref, Object.values(configuration.secrets));
    }
  }

  private handlerContext(
    card: LoadedCard,
    configuration: ResolvedConfiguration,
    request: ExecuteCardRequest | undefined,
    counter: { calls: number },
  ): HandlerContext {
    const compiled = compiledCard(card);
    // A handler that only calls absolute URLs (core/http-request) needs no base URL: a missing or
    // relative one is an error only for a call by path.
    let target: CallTarget;
    let baseUrlError: unknown;
    try {
      target = this.target(card, compiled, configuration);
    } catch (error) {
      baseUrlError = error;
      target = { auth: card.configurationKind.auth, configuration, baseUrl: '' };
    }
    const client = this.http.forHandler(target, request?.signal);
    const http: CardHttpClient = {
      request: (call) => {
        counter.calls++;
        if (baseUrlError !== undefined && call.url === undefined) return Promise.reject(baseUrlError);
        return client.request(call);
      },
    };
    return {
      http,
      logger: request?.logger ?? this.logger,
      clock: request?.clock ?? this.clock,
      config: configuration.values,
      // Raw secrets only for handlers that declare they need them (docs/architecture.md §3).
      ...(card.spec.needsSecrets ? { secrets: configuration.secrets } : {}),
      connector: card.connector.manifest.name,
      card: card.spec.key,
    };
  }
}

/** An item's time as unix seconds: numbers are taken as seconds (or ms when too large), strings as ISO dates. */
function unixSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return value > 1e11 ? Math.floor(value / 1000) : value;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return unixSeconds(Number(value));
  // Graph writes 2026-01-02T18:31:28+0000; Date.parse wants the offset as +00:00.
  const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(parsed) ? Math.floor(parsed / 1000) : undefined;
}
