import { join } from 'node:path';
import { ConnectorRegistry } from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from '../support/wait-for';

// A step can reach a worker moments after its connector was published, before the worker's next
// registry poll. The step handler asks the registry to look now, once, before failing the run.
describe('a step whose card this worker does not know yet', () => {
  const connectorsDir = join(__dirname, '..', '..', 'connectors');
  const late = new ConnectorRegistry();
  let refreshes = 0;
  let h: FlowHarness;

  beforeAll(async () => {
    h = await startFlowHarness({
      file: __filename,
      runner: {
        cards: {
          card: (ref) => late.card(ref),
          missingCardReason: (ref) => late.missingCardReason(ref),
          // Plays the hot-loader's poll: the connectors appear only when asked.
          refresh: async () => {
            refreshes += 1;
            if (!late.get('workplace')) await late.loadFrom({ directories: [connectorsDir] });
          },
        },
      },
    });
    h.configurations.set({
      id: 'cfg_wp',
      workspaceId: 'ws1',
      ownerId: 'u1',
      connector: 'workplace',
      status: 'active',
      values: { graphBaseUrl: h.emulator.baseUrl, graphVersion: 'v25.0' },
      secrets: { accessToken: h.emulator.fixtures.workplace.adminToken },
    });
    h.runner.createWorker({ concurrency: 2 });
  });
  afterAll(async () => {
    await h.close();
  });

  const finished = (runId: string) =>
    waitFor(`run ${runId} to finish`, async () => {
      const run = await h.history.getRun(runId);
      return run && (run.status === 'succeeded' || run.status === 'failed') ? run : undefined;
    });

  const oneStep = (card: string): FlowSpec => ({
    name: 'Message the sales lead',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps: [
      {
        id: 'notify',
        card,
        configurationId: 'cfg_wp',
        input: { recipientIds: [h.emulator.fixtures.workplace.members[0].id], text: 'New lead' },
      },
    ],
  });

  it('refreshes the registry once and runs the card', async () => {
    const { runId } = await h.runner.startRun(h.flow(oneStep('workplace/send-message@1')), {});
    const run = await finished(runId);
    expect(run.status).toBe('succeeded');
    expect(refreshes).toBe(1);
  });

  it('fails the run clearly when the card is still unknown after the refresh', async () => {
    const before = refreshes;
    const { runId } = await h.runner.startRun(h.flow(oneStep('workplace/send-message@7')), {});
    const run = await finished(runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('FLOWCARD_ERR_RUN_CARD_UNAVAILABLE');
    expect(run.error?.message).toContain('workplace/send-message@7');
    expect(refreshes).toBe(before + 1);
  });
});
