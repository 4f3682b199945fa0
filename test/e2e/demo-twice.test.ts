import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startE2e, type E2e, type Json } from './support/e2e-runtime';

const bin = join(__dirname, '..', '..', 'packages', 'cli', 'bin', 'flowcard.js');

describe('`flowcard demo` run twice', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e(__filename);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const demo = async (): Promise<string> =>
    (
      await promisify(execFile)(
        process.execPath,
        [bin, 'demo', '--api', e2e.runtime.url, '--api-key', e2e.apiKey, '--timeout', '60'],
        { timeout: 180_000 },
      )
    ).stdout;

  it('reuses its flow: one enabled flow on the trigger, each lead answered once', async () => {
    const first = await demo();
    expect(first).toMatch(/^Flow \S+ "New lead on Flowcard Bakery → Workplace" enabled \(trigger /m);
    const second = await demo();
    expect(second).toMatch(
      /^Flow \S+ "New lead on Flowcard Bakery → Workplace" exists and is enabled already: reused \(trigger /m,
    );
    const flows = (await e2e.api('/v1/flows')).body.flows.filter(
      (flow: Json) => flow.enabled && flow.name === 'New lead on Flowcard Bakery → Workplace',
    );
    expect(flows).toHaveLength(1);
    const runs = await e2e.runsOf(flows[0].id);
    // Two demo leads, one run each.
    expect(runs.filter((run: Json) => run.status === 'succeeded')).toHaveLength(2);
  }, 300_000);
});
