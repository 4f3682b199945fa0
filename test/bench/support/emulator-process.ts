import { startMetaEmulator } from '@flowcard/meta-emulator';
import { answerCpuRequests, tellDriver, type BenchMessage } from './bench-process';

/** What the emulator child tells the driver when it is up: where it is and the fixture ids the bench uses. */
export interface BenchEmulatorInfo extends BenchMessage {
  type: 'ready';
  baseUrl: string;
  appSecret: string;
  pageId: string;
  pageToken: string;
  formId: string;
  workplaceToken: string;
  memberId: string;
}

/**
 * The Meta emulator in a process of its own (Meta is a remote service: it must not share the
 * workers' event loop). Throttling is off: usage budgets so large that usage headers stay near 0%,
 * so neither the emulator nor Flowcard's adaptive limiter slows anything down.
 * IPC: `createLeads {count}` → `createLeads:done {leadIds}`; `messages` → `messages:done {count}`;
 * `cpu` → `cpu:done {ms}` (the bench reports the emulator's CPU per flow next to the worker's).
 */
async function main(): Promise<void> {
  answerCpuRequests();
  const emulator = await startMetaEmulator();
  emulator.control.setUsageBudget({ appCalls: 1e12, pageCalls: 1e12, enforce: false });
  const page = emulator.fixtures.pages[0];
  const form = page.forms[0];
  process.on('message', (raw: unknown) => {
    const message = raw as BenchMessage;
    if (message.type === 'createLeads') {
      const leadIds: string[] = [];
      for (let i = 0; i < Number(message.count); i++) {
        leadIds.push(
          emulator.control.createLead({
            formId: form.id,
            fieldData: { email: `bench${i}@example.com`, full_name: `Bench Lead ${i}` },
          }).id,
        );
      }
      tellDriver({ type: 'createLeads:done', leadIds });
    } else if (message.type === 'messages') {
      tellDriver({ type: 'messages:done', count: emulator.control.workplaceMessages().length });
    }
  });
  process.once('SIGTERM', () => {
    void emulator.close().finally(() => process.exit(0));
  });
  const info: BenchEmulatorInfo = {
    type: 'ready',
    baseUrl: emulator.baseUrl,
    appSecret: emulator.app.secret,
    pageId: page.id,
    pageToken: page.accessToken,
    formId: form.id,
    workplaceToken: emulator.fixtures.workplace.adminToken,
    memberId: emulator.fixtures.workplace.members[0].id,
  };
  tellDriver(info);
}

// Only when forked as a script: the driver imports this file for its types.
if (require.main === module) void main();
