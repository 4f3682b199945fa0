import { randomBytes } from 'node:crypto';
import { EnvKeyProvider, SecretSealer, type StepConfigurationSource } from '@flowcard/engine';
import type { FlowSpec } from '@flowcard/schemas';
import { startFlowHarness, type FlowHarness } from './support/flow-harness';
import { waitFor } from '../support/wait-for';

// A worker configured without the master key a configuration was sealed with cannot open its
// secrets. The run must fail, naming the key, after the usual retries: never stay queued.
describe('a step whose configuration this worker cannot open', () => {
  const sealedUnderK1 = new SecretSealer(new EnvKeyProvider(new Map([['k1', randomBytes(32)]]), 'k1'));
  const workerWithK2Only = new SecretSealer(new EnvKeyProvider(new Map([['k2', randomBytes(32)]]), 'k2'));
  let h: FlowHarness;

  beforeAll(async () => {
    const sealed = sealedUnderK1.seal({ accessToken: 'DQWREMUnotreallyatoken000001' });
    // The worker's configuration source: opens sealed secrets with the keys this worker has.
    const configurations: StepConfigurationSource = {
      get: async (id) => ({
        id,
        workspaceId: 'ws1',
        ownerId: 'u1',
        connector: 'workplace',
        status: 'active',
        values: { graphBaseUrl: 'http://127.0.0.1:9', graphVersion: 'v25.0' },
        secrets: workerWithK2Only.open(sealed),
      }),
    };
    h = await startFlowHarness({ file: __filename, runner: { configurations } });
    h.runner.createWorker({ concurrency: 2 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('fails the run after its retries, naming the missing key, with a record per attempt', async () => {
    const spec: FlowSpec = {
      name: 'Message the sales lead',
      trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
      steps: [
        {
          id: 'notify',
          card: 'workplace/send-message@1',
          configurationId: 'cfg_wp',
          input: { recipientIds: ['1'], text: 'x' },
        },
      ],
    };
    const { runId } = await h.runner.startRun(h.flow(spec), {});
    const run = await waitFor(`run ${runId} to fail`, async () => {
      const current = await h.history.getRun(runId);
      return current?.status === 'failed' ? current : undefined;
    });
    expect(run.error?.code).toBe('FLOWCARD_ERR_RUN_RETRIES_EXHAUSTED');
    expect(run.error?.message).toContain('Encryption key "k1" is not configured');
    await h.writer.flush();
    const steps = await h.history.listSteps(runId);
    expect(steps.map((step) => step.status)).toEqual(['retrying', 'retrying', 'failed']);
  });
});
