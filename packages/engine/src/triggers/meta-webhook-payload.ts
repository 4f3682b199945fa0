/** One change of a Meta webhook delivery, flattened out of its entry. */
export interface MetaWebhookChange {
  /** Webhook object, e.g. page. */
  object: string;
  /** Entry id: the page (or other object) the change belongs to. */
  entryId: string;
  /** Entry time (unix seconds) when Meta sent one. */
  time?: number;
  /** Change field, e.g. leadgen. */
  field: string;
  /** The change value, e.g. { leadgen_id, page_id, form_id, ad_id, adgroup_id, created_time }. */
  value: Record<string, unknown>;
}

/**
 * Flattens `{object, entry:[{id, time, changes:[{field, value}]}]}` into changes. Anything that is
 * not shaped like that is skipped rather than thrown: Meta answers a non-200 with retries, and a
 * malformed entry will not become well-formed by retrying.
 */
export function parseMetaWebhook(body: unknown): MetaWebhookChange[] {
  if (!isRecord(body) || typeof body.object !== 'string' || !Array.isArray(body.entry)) return [];
  const changes: MetaWebhookChange[] = [];
  for (const entry of body.entry) {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) continue;
    const entryId = entry.id === undefined || entry.id === null ? '' : String(entry.id);
    const time = typeof entry.time === 'number' ? entry.time : undefined;
    for (const change of entry.changes) {
      if (!isRecord(change) || typeof change.field !== 'string' || !isRecord(change.value)) continue;
      changes.push({
        object: body.object,
        entryId,
        ...(time === undefined ? {} : { time }),
        field: change.field,
        value: change.value,
      });
    }
  }
  return changes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
