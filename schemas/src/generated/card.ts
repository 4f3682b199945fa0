/* generated — do not edit. Source: schemas/card.schema.json; run `npm run generate`. */

/**
 * One action or trigger of a connector (cards/<key>.json): its input and output JSON Schemas and either a declarative HTTP request or a handler module. Templates such as {{input.pageId}} are filled in at run time; a template that is the whole value keeps the value's type.
 */
export type CardSpec = {
  $schema?: string;
  /**
   * Card key, unique in its connector, equal to the file name without .json.
   */
  key: string;
  kind: 'action' | 'trigger';
  title: string;
  description: string;
  /**
   * Key of the manifest's configuration kind this card uses; required when the manifest declares more than one.
   */
  configuration?: string;
  /**
   * Service permissions the card needs (shown in the catalog; named when a call is refused).
   */
  permissions?: string[];
  input: ObjectSchemaSpec;
  output: JsonSchemaSpec;
  request?: RequestSpec;
  /**
   * Path, relative to the connector folder, of a module whose default export is (ctx, input) => output. For cards a request cannot express.
   */
  handler?: string;
  /**
   * The handler reads raw configuration secrets (ctx.secrets). Off by default: handlers get an HTTP client with auth applied.
   */
  needsSecrets?: boolean;
  /**
   * Whether calling the card twice with the same input is harmless (reads, updates to a fixed value). false for calls that create something each time (a post, a message, a comment, a provisioned account): when a worker dies during such a call its outcome is unknown, and the flow's onUnknownOutcome decides whether the step is repeated or held for review.
   */
  repeatable?: boolean;
  options?: OptionsSpec;
  trigger?: TriggerSpec;
  /**
   * Sample runs: the input and the output it produces. Outputs must validate against the output schema.
   */
  examples?: {
    title?: string;
    input: {};
    output?: unknown;
  }[];
};
/**
 * How a trigger card produces events. polling: a request run on an interval, items newer than the stored cursor become events. webhook: subscribe/unsubscribe requests, events routed by a key, each fetched into the output; polling beside webhook reconciles missed deliveries. manual: runs started from the API (Run now) with an input the flow's builder describes. schedule: runs started by the engine on a cron schedule (core/schedule). incoming-webhook: runs started by POSTs to a URL of the flow's own (core/webhook).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "trigger".
 */
export type TriggerSpec = Trigger;
/**
 * Either a request (items at itemsPath, newest cursor kept) or a handler module for polls a request cannot express (e.g. every form of a page): its default export is (ctx, { input, cursor }) => { items, cursor }.
 */
export type PollingSpec = {
  [k: string]: unknown;
} & {
  /**
   * Default 300.
   */
  intervalSeconds?: number;
  request?: RequestSpec;
  /**
   * Where items are in the response (default data).
   */
  itemsPath?: string;
  /**
   * Template over item giving its time (ISO date or unix seconds); the newest seen is stored and offered to the next poll as {{cursor.since}} (unix seconds).
   */
  cursor?: string;
  /**
   * Path of a polling handler module, instead of request.
   */
  handler?: string;
};

/**
 * A JSON Schema whose type is object.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "objectSchema".
 */
export interface ObjectSchemaSpec {
  type: 'object';
  properties?: {
    [k: string]: JsonSchemaSpec;
  };
  required?: string[];
  [k: string]: unknown;
}
/**
 * A JSON Schema (draft-07). Inputs may mark a property with x-options to fill a dropdown from another card.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "jsonSchema".
 */
export interface JsonSchemaSpec {
  [k: string]: unknown;
}
/**
 * A declarative HTTP request. path, query, headers and body may hold templates over input, config (non-secret fields), event and cursor.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "request".
 */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Appended to the configuration's base URL, e.g. /{{input.pageId}}/feed.
   */
  path: string;
  /**
   * Query parameters; a parameter whose template renders to nothing is left out.
   */
  query?: {
    [k: string]: unknown;
  };
  headers?: {
    [k: string]: string;
  };
  /**
   * JSON body (any shape, templated deeply); a key whose template renders to nothing is left out.
   */
  body?: {
    [k: string]: unknown;
  };
  /**
   * How the body is encoded (default json).
   */
  bodyType?: 'json' | 'form';
  /**
   * Which token the request uses: the configuration's (default), none, or the page token of a page (fetched with the configuration's user token and cached).
   */
  auth?:
    | ('configuration' | 'none')
    | {
        /**
         * Template naming the page id, e.g. {{input.pageId}}.
         */
        pageToken: string;
      };
  paginate?: PaginationSpec;
  output?: OutputSelectorSpec;
}
/**
 * Follow pages and collect items. graph-cursor: follow paging.next until absent. scim: startIndex/count until totalResults. Items are collected into the response's items path.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "pagination".
 */
export interface PaginationSpec {
  style: 'graph-cursor' | 'scim';
  /**
   * Where items are in each page (default data for graph-cursor, Resources for scim).
   */
  itemsPath?: string;
  /**
   * Stop after this many items (integer or template).
   */
  maxItems?: number | string;
  /**
   * Stop after this many pages (default 50).
   */
  maxPages?: number;
  /**
   * limit (Graph) or count (SCIM) asked per page (integer or template).
   */
  pageSize?: number | string;
}
/**
 * Where the output lives in the response. path: a dot path (data, data.0). map: an object of templates over response and input. transform: a JSONata expression over {response, input}. Applied in that order; without any, the whole response body is the output.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "outputSelector".
 */
export interface OutputSelectorSpec {
  path?: string;
  map?: unknown;
  transform?: string;
}
/**
 * Marks a card that lists choices for dynamic dropdowns (x-options): its output is an array; label and value are templates over each item.
 */
export interface OptionsSpec {
  label: string;
  value: string;
}
export interface Trigger {
  type: 'polling' | 'webhook' | 'manual' | 'schedule' | 'incoming-webhook';
  /**
   * Template over item giving its unique id; one item starts at most one run per flow.
   */
  dedupeKey: string;
  itemOutput?: OutputSelectorSpec;
  polling?: PollingSpec;
  webhook?: WebhookSpec;
}
export interface WebhookSpec {
  provider: 'meta';
  /**
   * Meta webhook object, e.g. page.
   */
  object: string;
  /**
   * Change field, e.g. leadgen.
   */
  field: string;
  /**
   * Template over event (the change value) naming the object a flow listens on, e.g. {{event.page_id}}; compared with the flow's routeInput.
   */
  routeKey: string;
  /**
   * Template over input or config giving the same key for a flow, e.g. {{input.pageId}} or {{config.pageId}}.
   */
  routeInput?: string;
  /**
   * Optional equality filters: each key is a template over event, each value a template over input or config. Empty values match everything.
   */
  filter?: {
    [k: string]: string;
  };
  subscribe?: RequestSpec;
  unsubscribe?: RequestSpec;
  fetch: RequestSpec;
}
