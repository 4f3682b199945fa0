import { defineHandler } from '@flowcard/sdk';
import { fetchLeadsSince, normaliseTime, type GraphLead } from './list-leads';

interface NewLeadPollInput {
  input: { pageId: string; formId?: string };
  /** What the previous poll returned; absent on the first poll. */
  cursor?: NewLeadCursor | null;
}

interface NewLeadCursor {
  /** Unix seconds of the newest lead seen (or of the first poll). */
  since: number;
}

interface NewLeadPollOutput {
  /** Raw Graph leads: the card's itemOutput flattens them, exactly as it does webhook fetches. */
  items: GraphLead[];
  cursor: NewLeadCursor;
}

const MAX_LEADS_PER_POLL = 10_000;

interface FormsPage {
  data: { id: string }[];
  paging?: { next?: string };
}

/**
 * Reconciliation poll of the new-lead trigger (webhooks are known to be missed). A request cannot
 * express it when no form is chosen: list the Page's forms, then each form's leads created after
 * the cursor (one second early: leads sharing the newest second are re-read and deduped, never lost). The first poll only sets the cursor to now, so turning a flow on does not replay
 * the Page's lead history; the dedupe key (lead id) keeps a lead that also came by webhook from
 * starting a second run.
 */
export default defineHandler<NewLeadPollInput, NewLeadPollOutput>(async (ctx, { input, cursor }) => {
  const nowUnix = Math.floor(ctx.clock.now().getTime() / 1000);
  if (!cursor || typeof cursor.since !== 'number') return { items: [], cursor: { since: nowUnix } };

  const formIds = input.formId ? [input.formId] : await listFormIds(ctx.http, input.pageId);
  const items: GraphLead[] = [];
  for (const formId of formIds) {
    items.push(...(await fetchLeadsSince(ctx.http, formId, cursor.since - 1, MAX_LEADS_PER_POLL)));
  }
  items.sort((a, b) => Date.parse(normaliseTime(a.created_time)) - Date.parse(normaliseTime(b.created_time)));
  const newest = items.reduce(
    (max, lead) => Math.max(max, Math.floor(Date.parse(normaliseTime(lead.created_time)) / 1000)),
    cursor.since,
  );
  return { items, cursor: { since: newest } };
});

async function listFormIds(http: Parameters<typeof fetchLeadsSince>[0], pageId: string): Promise<string[]> {
  const ids: string[] = [];
  let res = await http.request<FormsPage>({
    method: 'GET',
    path: `/${encodeURIComponent(pageId)}/leadgen_forms`,
    query: { fields: 'id', limit: 100 },
  });
  for (let page = 1; ; page++) {
    ids.push(...res.data.data.map((form) => form.id));
    const next = res.data.paging?.next;
    if (!next || page >= 20) break;
    res = await http.request<FormsPage>({ method: 'GET', url: next });
  }
  return ids;
}
