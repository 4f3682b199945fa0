import type { RequestSpec } from '@flowcard/schemas';
import { manifestCodes } from '../errors/codes/manifest-codes';
import { parsePath } from '../templates/object-path';
import { findTemplateReferences } from '../templates/template-references';
import type { ConnectorCheckContext, ParsedCard, ResolvedKind } from './connector-check-context';
import { jsonPointer } from './json-pointer';

/** One place of a card that holds templates, and the roots a template may name there. */
interface TemplateSection {
  readonly pointer: string;
  readonly value: unknown;
  readonly roots: readonly string[];
  /** Why only these roots, for the hint of a scope problem. */
  readonly scopeHint: string;
}

const REQUEST_HINT = 'A request can use {{input.<name>}} and {{config.<field>}}';

/**
 * Checks every template of a card: it names a root that exists where it is used, an `input.x`
 * names a declared input property, a `config.x` a declared non-secret field of the card's
 * configuration kind. `configuration` is undefined when the card's kind could not be resolved (reported
 * elsewhere); config references are then not checked.
 */
export function checkCardTemplates(
  ctx: ConnectorCheckContext,
  card: ParsedCard,
  configuration: ResolvedKind | undefined,
): void {
  const inputNames = new Set(Object.keys(card.spec.input.properties ?? {}));
  for (const section of templateSections(card)) {
    walkStrings(section.value, section.pointer, (text, pointer) => {
      for (const reference of findTemplateReferences(text)) {
        checkReference(ctx, card, configuration, inputNames, section, pointer, reference);
      }
    });
  }
}

function checkReference(
  ctx: ConnectorCheckContext,
  card: ParsedCard,
  configuration: ResolvedKind | undefined,
  inputNames: ReadonlySet<string>,
  section: TemplateSection,
  pointer: string,
  reference: string,
): void {
  const [root, name] = parsePath(reference);
  const template = `{{${reference}}}`;
  if (root === undefined || !section.roots.includes(root)) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_TEMPLATE_SCOPE,
      card.file,
      pointer,
      { template, root: root ?? '', allowed: section.roots.join(', ') },
      section.scopeHint,
    );
    return;
  }
  if (root === 'input' && name !== undefined && !inputNames.has(name)) {
    ctx.report(
      manifestCodes.FLOWCARD_ERR_CARD_INPUT_REFERENCE,
      card.file,
      pointer,
      { template, name },
      `Declare "${name}" under /input/properties, or correct the template`,
    );
  }
  if (root === 'config' && name !== undefined && configuration) {
    const field = configuration.kind.schema.properties[name];
    if (!field) {
      ctx.report(
        manifestCodes.FLOWCARD_ERR_CARD_CONFIG_REFERENCE,
        card.file,
        pointer,
        { template, name, configuration: configuration.key },
        `Declare "${name}" under /configurations/${configuration.key}/schema/properties in connector.json, or correct the template`,
      );
    } else if (field['x-secret'] === true) {
      ctx.report(
        manifestCodes.FLOWCARD_ERR_CARD_CONFIG_SECRET,
        card.file,
        pointer,
        { template, name },
        'Secrets never go into templates: send credentials through the auth section of connector.json',
      );
    }
  }
}

function templateSections(card: ParsedCard): TemplateSection[] {
  const spec = card.spec;
  const sections: TemplateSection[] = [];
  if (spec.request)
    sections.push(...requestSections('/request', spec.request, ['input', 'config'], REQUEST_HINT));
  if (spec.options) {
    sections.push({
      pointer: '/options',
      value: spec.options,
      roots: ['item'],
      scopeHint: 'Option labels and values are read from each listed item: write {{item.<field>}}',
    });
  }
  const trigger = spec.trigger;
  if (!trigger) return sections;
  const itemHint = 'dedupeKey and cursor are read from each polled or fetched item: write {{item.<field>}}';
  sections.push({
    pointer: '/trigger/dedupeKey',
    value: trigger.dedupeKey,
    roots: ['item'],
    scopeHint: itemHint,
  });
  if (trigger.itemOutput?.map !== undefined) {
    sections.push({
      pointer: '/trigger/itemOutput/map',
      value: trigger.itemOutput.map,
      roots: ['item', 'input', 'config', 'event'],
      scopeHint:
        'An item output maps {{item.<field>}}, {{input.<name>}}, {{config.<field>}} or {{event.<field>}}',
    });
  }
  if (trigger.polling) {
    const polling = trigger.polling;
    const hint = 'A polling request can use {{input.<name>}}, {{config.<field>}} and {{cursor.since}}';
    if (polling.request) {
      sections.push(
        ...requestSections('/trigger/polling/request', polling.request, ['input', 'config', 'cursor'], hint),
      );
    }
    if (polling.cursor !== undefined) {
      sections.push({
        pointer: '/trigger/polling/cursor',
        value: polling.cursor,
        roots: ['item'],
        scopeHint: itemHint,
      });
    }
  }
  const webhook = trigger.webhook;
  if (webhook) {
    const base = '/trigger/webhook';
    const eventHint =
      'The route key and filter keys are read from the webhook event: write {{event.<field>}}';
    // A configuration per page already knows its page, so the flow's side may come from config too.
    const inputHint =
      'The route input and filter values are read from the flow input or its configuration: write {{input.<name>}} or {{config.<field>}}';
    sections.push({
      pointer: `${base}/routeKey`,
      value: webhook.routeKey,
      roots: ['event'],
      scopeHint: eventHint,
    });
    if (webhook.routeInput !== undefined) {
      sections.push({
        pointer: `${base}/routeInput`,
        value: webhook.routeInput,
        roots: ['input', 'config'],
        scopeHint: inputHint,
      });
    }
    for (const [key, value] of Object.entries(webhook.filter ?? {})) {
      const pointer = jsonPointer(`${base}/filter`, key);
      // A filter's key is itself a template over the event; its value a template over the input.
      sections.push({ pointer, value: key, roots: ['event'], scopeHint: eventHint });
      sections.push({ pointer, value, roots: ['input', 'config'], scopeHint: inputHint });
    }
    if (webhook.subscribe)
      sections.push(
        ...requestSections(`${base}/subscribe`, webhook.subscribe, ['input', 'config'], REQUEST_HINT),
      );
    if (webhook.unsubscribe)
      sections.push(
        ...requestSections(`${base}/unsubscribe`, webhook.unsubscribe, ['input', 'config'], REQUEST_HINT),
      );
    const fetchHint = 'A webhook fetch can use {{event.<field>}}, {{input.<name>}} and {{config.<field>}}';
    sections.push(
      ...requestSections(`${base}/fetch`, webhook.fetch, ['input', 'config', 'event'], fetchHint),
    );
  }
  return sections;
}

/** A request's templates, and its output map (which also sees the response). Output paths and JSONata transforms are not templates. */
function requestSections(
  pointer: string,
  request: RequestSpec,
  roots: readonly string[],
  scopeHint: string,
): TemplateSection[] {
  const { output, ...rest } = request;
  const sections: TemplateSection[] = [{ pointer, value: rest, roots, scopeHint }];
  if (output?.map !== undefined) {
    sections.push({
      pointer: `${pointer}/output/map`,
      value: output.map,
      roots: ['response', ...roots],
      scopeHint: `An output map can use {{response.<path>}} and ${roots.map((r) => `{{${r}.…}}`).join(', ')}`,
    });
  }
  return sections;
}

function walkStrings(value: unknown, pointer: string, visit: (text: string, pointer: string) => void): void {
  if (typeof value === 'string') visit(value, pointer);
  else if (Array.isArray(value))
    value.forEach((item, index) => walkStrings(item, jsonPointer(pointer, index), visit));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, jsonPointer(pointer, key), visit);
  }
}
