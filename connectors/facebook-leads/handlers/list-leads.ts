import { defineHandler, invalidInput, type CardHttpClient } from '@flowcard/sdk';

interface ListLeadsInput {
  formId: string;
  /** ISO 8601 date-time: only leads created after it. */
  since?: string;
  limit?: number;
}

/** A lead as Graph returns it. */
export interface GraphLead {
  id: string;
  created_time: string;
  form_id?: string;
  ad_id?: string;
  adset_id?: string;
  campaign_id?: string;
  platform?: string;
  field_data?: { name: string; values: string[] }[];
}

/** The lead as the connector's cards output it (same shape as the new-lead trigger's itemOutput). */
export interface FlatLead {
  id: string;
  created_time: string;
  form_id: string;
  ad_id?: string;
  adset_id?: string;
  campaign_id?: string;
  platform?: string;
  fields: Record<string, string>;
  field_data: { name: string; values: string[] }[];
}

interface LeadsPage {
  data: GraphLead[];
  paging?: { next?: string };
}

export const LEAD_FIELDS = 'id,created_time,field_data,ad_id,adset_id,campaign_id,form_id,platform';
const MAX_PAGES = 100;

/**
 * Every lead of a form created after `sinceUnix` (all when undefined), oldest first, at most
 * `limit`. Graph filters on time_created server-side and pages with cursors; `next` links are
 * followed as given (absolute URLs repeating the query).
 */
export async function fetchLeadsSince(
  http: CardHttpClient,
  formId: string,
  sinceUnix: number | undefined,
  limit: number,
): Promise<GraphLead[]> {
  const filtering =
    sinceUnix === undefined
      ? undefined
      : JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: sinceUnix }]);
  const leads: GraphLead[] = [];
  let res = await http.request<LeadsPage>({
    method: 'GET',
    path: `/${encodeURIComponent(formId)}/leads`,
    query: { fields: LEAD_FIELDS, limit: Math.min(limit, 100), filtering },
  });
  for (let page = 1; ; page++) {
    leads.push(...res.data.data);
    const next = res.data.paging?.next;
    if (!next || leads.length >= limit || page >= MAX_PAGES) break;
    res = await http.request<LeadsPage>({ method: 'GET', url: next });
  }
  // Graph answers newest first: reversed, then stably sorted, leads of the same second keep
  // their creation order too.
  return leads
    .reverse()
    .map((lead) => ({ ...lead, form_id: lead.form_id ?? formId }))
    .sort((a, b) => Date.parse(normaliseTime(a.created_time)) - Date.parse(normaliseTime(b.created_time)))
    .slice(0, limit);
}

/** Graph writes offsets without a colon (2026-01-02T18:31:28+0000), which Date.parse may reject. */
export function normaliseTime(graphTime: string): string {
  return graphTime.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}

export function flattenLead(lead: GraphLead, formId: string): FlatLead {
  const fieldData = lead.field_data ?? [];
  const fields: Record<string, string> = {};
  for (const field of fieldData) fields[field.name] = field.values.join(', ');
  const optional = {
    ad_id: lead.ad_id,
    adset_id: lead.adset_id,
    campaign_id: lead.campaign_id,
    platform: lead.platform,
  };
  return {
    id: lead.id,
    created_time: lead.created_time,
    form_id: lead.form_id ?? formId,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    fields,
    field_data: fieldData,
  };
}

/** A handler because `filtering` needs the time as unix seconds inside a JSON string. */
export default defineHandler<ListLeadsInput, FlatLead[]>(async (ctx, input) => {
  let sinceUnix: number | undefined;
  if (input.since !== undefined) {
    const ms = Date.parse(input.since);
    if (Number.isNaN(ms)) throw invalidInput(`since "${input.since}" is not a date-time.`);
    sinceUnix = Math.floor(ms / 1000);
  }
  const leads = await fetchLeadsSince(ctx.http, input.formId, sinceUnix, input.limit ?? 1000);
  return leads.map((lead) => flattenLead(lead, input.formId));
});
