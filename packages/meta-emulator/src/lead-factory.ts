import type { EmulatorCore } from './emulator-core';
import type { Lead, LeadFieldData } from './emulator-entities';
import { unixSeconds } from './graph-time';

export interface CreateLeadInput {
  formId: string;
  /** Answers; either `[{name, values}]` or a plain object `{email: "a@b.c"}`. */
  fieldData?: LeadFieldData[] | Record<string, string | string[]>;
  adId?: string;
  adsetId?: string;
  campaignId?: string;
  adName?: string;
  /** Epoch ms or ISO date; default the emulator's now. */
  createdTime?: number | string;
  platform?: string;
}

/**
 * Adds a lead to a form, then sends the leadgen webhook to the app's `page` subscription when the
 * page has the app installed for `leadgen` (both are needed, as on Meta).
 */
export function createLead(core: EmulatorCore, input: CreateLeadInput): Lead {
  const node = core.state.nodes.get(input.formId);
  if (node?.kind !== 'form') throw new Error(`createLead: ${input.formId} is not a lead form id`);
  const { form, page } = node;
  const createdAt =
    input.createdTime === undefined
      ? core.clock.now()
      : typeof input.createdTime === 'number'
        ? input.createdTime
        : Date.parse(input.createdTime);
  if (!Number.isFinite(createdAt)) throw new Error('createLead: createdTime must be epoch ms or an ISO date');
  const id = core.state.newId();
  const lead: Lead = {
    id,
    formId: form.id,
    pageId: page.id,
    createdAt,
    fieldData: normaliseFieldData(
      input.fieldData ?? { email: `lead.${id}@mail.example`, full_name: `Lead ${id}` },
    ),
    platform: input.platform ?? 'fb',
    ...(input.adId
      ? {
          adId: input.adId,
          adName: input.adName ?? `Ad ${input.adId}`,
          adsetId: input.adsetId ?? `${input.adId}1`,
          adsetName: 'Ad set',
          campaignId: input.campaignId ?? `${input.adId}2`,
          campaignName: 'Campaign',
        }
      : {}),
  };
  // Keep the form's list ascending by time even for back-dated leads.
  let at = form.leads.length;
  while (at > 0 && form.leads[at - 1].createdAt > createdAt) at--;
  form.leads.splice(at, 0, lead);
  core.state.nodes.set(lead.id, { kind: 'lead', lead, form, page });

  const app = core.state.app;
  const subscription = app.subscriptions.get('page');
  const installed = page.subscribedApps.get(app.id);
  if (subscription?.fields.includes('leadgen') && installed?.includes('leadgen')) {
    const now = core.clock.now();
    const payload = {
      object: 'page',
      entry: [
        {
          id: page.id,
          time: unixSeconds(now),
          changes: [
            {
              field: 'leadgen',
              value: {
                leadgen_id: lead.id,
                page_id: page.id,
                form_id: form.id,
                ...(lead.adId ? { ad_id: lead.adId, adgroup_id: lead.adId } : {}),
                created_time: unixSeconds(lead.createdAt),
              },
            },
          ],
        },
      ],
    };
    core.webhooks.send(subscription.callbackUrl, payload, app.secret, {
      field: 'leadgen',
      pageId: page.id,
      leadId: lead.id,
      now,
    });
  }
  return lead;
}

function normaliseFieldData(data: LeadFieldData[] | Record<string, string | string[]>): LeadFieldData[] {
  if (Array.isArray(data)) return data.map((d) => ({ name: d.name, values: [...d.values] }));
  return Object.entries(data).map(([name, v]) => ({ name, values: Array.isArray(v) ? v : [v] }));
}
