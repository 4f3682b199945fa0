import { startMetaEmulator } from '@flowcard/meta-emulator';
import { nowMs, tellDriver, type BenchMessage } from './bench-process';

/** What the product bench's emulator child tells the driver when it is up. */
export interface ProductEmulatorInfo extends BenchMessage {
  type: 'ready';
  baseUrl: string;
  appId: string;
  appSecret: string;
  pageId: string;
  formId: string;
  workplaceToken: string;
  memberId: string;
}

/** The text of the bench flow's Workplace message names the lead by its number: `Bench lead #<n>`. */
export const LEAD_NUMBER = /Bench lead #(\d+)/;

/**
 * The Meta emulator in its own process for `npm run bench -- product` (Meta is remote: it must not
 * share the runtime's event loop), throttling off. Completion is counted here, where the flow ends:
 * every millisecond the Workplace messages stored since the last look are reported to the driver
 * as `[lead number, seen at]` (so latencies carry up to ~1 ms of polling delay).
 * IPC: `createLeads {from, count}` → `createLeads:done {leadIds}`.
 */
async function main(): Promise<void> {
  const emulator = await startMetaEmulator();
  emulator.control.setUsageBudget({ appCalls: 1e12, pageCalls: 1e12, enforce: false });
  const page = emulator.fixtures.pages[0];
  const form = page.forms[0];
  let seen = 0;
  setInterval(() => {
    const fresh = emulator.control.workplaceMessagesFrom(seen);
    if (fresh.length === 0) return;
    seen += fresh.length;
    const at = nowMs();
    const flows: Array<[number, number]> = [];
    for (const message of fresh) {
      const number = LEAD_NUMBER.exec(message.text)?.[1];
      if (number !== undefined) flows.push([Number(number), at]);
    }
    tellDriver({ type: 'finished', flows });
  }, 1);
  process.on('message', (raw: unknown) => {
    const message = raw as BenchMessage;
    if (message.type !== 'createLeads') return;
    const leadIds: string[] = [];
    for (let i = 0; i < Number(message.count); i++) {
      const number = Number(message.from) + i;
      leadIds.push(
        emulator.control.createLead({
          formId: form.id,
          fieldData: { email: `lead${number}@example.com`, full_name: `Bench lead #${number}` },
        }).id,
      );
    }
    tellDriver({ type: 'createLeads:done', leadIds });
  });
  process.once('SIGTERM', () => {
    void emulator.close().finally(() => process.exit(0));
  });
  const info: ProductEmulatorInfo = {
    type: 'ready',
    baseUrl: emulator.baseUrl,
    appId: emulator.app.id,
    appSecret: emulator.app.secret,
    pageId: page.id,
    formId: form.id,
    workplaceToken: emulator.fixtures.workplace.adminToken,
    memberId: emulator.fixtures.workplace.members[0].id,
  };
  tellDriver(info);
}

if (require.main === module) void main();
