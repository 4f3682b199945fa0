import type { EmulatorCore } from '../emulator-core';
import type { Lead, LeadForm } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { formatGraphTime } from '../graph-time';
import { jsonParam, type GraphCall } from './graph-call';
import { selectFields } from './graph-fields';
import { route } from './graph-handler';
import { paginate } from './graph-paging';
import { requirePageRead } from './page-access';

const LEAD_DEFAULTS = ['created_time', 'id', 'field_data'];
const FILTER_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  GREATER_THAN: (a, b) => a > b,
  GREATER_THAN_OR_EQUAL: (a, b) => a >= b,
  LESS_THAN: (a, b) => a < b,
  LESS_THAN_OR_EQUAL: (a, b) => a <= b,
};

function renderForm(call: GraphCall, form: LeadForm, core: EmulatorCore): Record<string, unknown> {
  const page = core.state.nodes.get(form.pageId);
  return selectFields(
    call,
    {
      id: form.id,
      name: form.name,
      status: form.status,
      locale: form.locale,
      questions: form.questions.map((q) => ({ key: q.key, label: q.label, type: q.type, id: q.id })),
      leads_count: form.leads.length,
      created_time: formatGraphTime(form.createdAt),
      page: page?.kind === 'page' ? { id: page.page.id, name: page.page.name } : undefined,
      page_id: form.pageId,
      privacy_policy_url: 'https://flowcard.example/privacy',
      follow_up_action_url: 'https://flowcard.example/thanks',
    },
    // Meta's docs list questions with the form; connectors rely on them without asking.
    ['name', 'status', 'locale', 'questions'],
    'LeadgenForm',
  );
}

export function renderLead(call: GraphCall, lead: Lead): Record<string, unknown> {
  return selectFields(
    call,
    {
      id: lead.id,
      created_time: formatGraphTime(lead.createdAt),
      field_data: lead.fieldData,
      ad_id: lead.adId,
      ad_name: lead.adName,
      adset_id: lead.adsetId,
      adset_name: lead.adsetName,
      campaign_id: lead.campaignId,
      campaign_name: lead.campaignName,
      form_id: lead.formId,
      platform: lead.platform,
      is_organic: lead.adId === undefined,
      custom_disclaimer_responses: [],
    },
    LEAD_DEFAULTS,
    'Lead',
  );
}

/** `filtering=[{"field":"time_created","operator":"GREATER_THAN","value":1767225600}]`. */
function leadFilter(call: GraphCall): (lead: Lead) => boolean {
  const raw = jsonParam(call, 'filtering');
  if (raw === undefined || raw === '') return () => true;
  if (!Array.isArray(raw)) throw graphErrors.invalidParameter('Param filtering must be a JSON array');
  const tests = raw.map((f: unknown) => {
    const { field, operator, value } = (f ?? {}) as { field?: unknown; operator?: unknown; value?: unknown };
    if (field !== 'time_created')
      throw graphErrors.invalidParameter(
        `Filtering field ${String(field)} is not supported. Supported: time_created`,
      );
    const op = FILTER_OPERATORS[String(operator)];
    if (!op)
      throw graphErrors.invalidParameter(
        `Filtering operator ${String(operator)} is not supported for time_created. Supported: ${Object.keys(FILTER_OPERATORS).join(', ')}`,
      );
    const seconds = Number(value);
    if (!Number.isFinite(seconds))
      throw graphErrors.invalidParameter('Filtering value for time_created must be a unix timestamp');
    return (lead: Lead) => op(Math.floor(lead.createdAt / 1000), seconds);
  });
  return (lead) => tests.every((t) => t(lead));
}

export const leadRoutes = [
  route('page', 'leadgen_forms', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_manage_ads');
    const forms = node.page.formIds
      .map((id) => core.state.nodes.get(id))
      .flatMap((n) => (n?.kind === 'form' ? [n.form] : []))
      .sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1));
    return paginate(
      call,
      forms,
      (f) => f.id,
      (f) => renderForm(call, f, core),
    );
  }),

  route('form', '', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_manage_ads');
    return renderForm(call, node.form, core);
  }),

  route('form', 'leads', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'leads_retrieval');
    const keep = leadFilter(call);
    // Stored ascending; Graph returns newest first.
    const leads: Lead[] = [];
    for (let i = node.form.leads.length - 1; i >= 0; i--)
      if (keep(node.form.leads[i])) leads.push(node.form.leads[i]);
    return paginate(
      call,
      leads,
      (l) => l.id,
      (l) => renderLead(call, l),
    );
  }),

  route('lead', '', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'leads_retrieval');
    return renderLead(call, node.lead);
  }),
];
