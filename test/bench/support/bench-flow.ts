import type { FlowSpec } from '@flowcard/schemas';
import type { FlowDocument } from '../../../packages/engine/src/ports/flow-repository';

/** Ids and tokens of the emulator's fixtures that the benchmark's flow and baselines use. */
export interface BenchTarget {
  baseUrl: string;
  appSecret: string;
  pageId: string;
  pageToken: string;
  formId: string;
  workplaceToken: string;
  memberId: string;
}

export const BENCH_FLOW_ID = 'flow_bench';
export const PAGE_CONFIGURATION_ID = 'cfg_bench_page';
export const WORKPLACE_CONFIGURATION_ID = 'cfg_bench_workplace';

/**
 * "New lead on the Page → Workplace message": the trigger is the leadgen webhook, whose job fetches
 * the lead (`GET /{lead-id}`, the "get lead" of the chain); the one step posts `POST /me/messages`.
 */
export function benchFlow(target: BenchTarget, triggerKey: string | null): FlowDocument {
  const spec: FlowSpec = {
    name: 'Bench: new lead → Workplace message',
    trigger: {
      card: 'facebook-leads/new-lead@1',
      configurationId: PAGE_CONFIGURATION_ID,
      input: { pageId: target.pageId },
    },
    steps: [
      {
        id: 'notify',
        card: 'workplace/send-message@1',
        configurationId: WORKPLACE_CONFIGURATION_ID,
        input: {
          recipientIds: [target.memberId],
          text: 'New lead {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
        },
      },
    ],
  };
  const now = new Date();
  return {
    id: BENCH_FLOW_ID,
    workspaceId: 'ws_bench',
    ownerId: 'u_bench',
    spec,
    enabled: true,
    triggerKey,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** The body Meta posts for a new lead (one leadgen change), as the emulator sends it. */
export function leadgenWebhookBody(target: BenchTarget, leadId: string): string {
  const time = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: target.pageId,
        time,
        changes: [
          {
            field: 'leadgen',
            value: { leadgen_id: leadId, page_id: target.pageId, form_id: target.formId, created_time: time },
          },
        ],
      },
    ],
  });
}

/** Queue names of the baseline chains: one for webhook jobs, one for the two step jobs (as Flowcard has). */
export const CHAIN_WEBHOOK_QUEUE = 'bench-webhook';
export const CHAIN_STEP_QUEUE = 'bench-steps';

/** Job 1 of a baseline chain: the leadgen change as the webhook endpoint would enqueue it, plus the flow key. */
export interface ChainWebhookData {
  key: string;
  change: { leadgen_id: string; page_id: string; form_id: string };
}
