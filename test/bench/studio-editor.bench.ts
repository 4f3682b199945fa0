import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startJongodb } from '../../runtime/src/embedded/jongodb';
import { startE2e, type E2e } from '../e2e/support/e2e-runtime';
import { launchChromium } from '../studio/support/chromium';
import { buildStudioIfChanged } from '../studio/support/studio-world';

const ROUNDS = Number(process.env.BENCH_STUDIO_ROUNDS ?? 5);
const STEPS = 50;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * The flow editor in Chromium on a real runtime:
 * - opening a 50-step flow: from navigation start until the last card is drawn and the editor
 *   answers (the Save button is there and a click on a card opens its side panel), against
 *   the same measure for the flows list in the same run (a ratio; medians of ROUNDS cold loads);
 * - first-load JavaScript of the editor route and of a hub page (Integrations), gzipped: every
 *   script the browser fetched for that first load, compressed here with gzip -9.
 */
export default async function studioEditorBench(): Promise<void> {
  buildStudioIfChanged();
  let mongo: { stop(): Promise<void> } | undefined;
  if (!process.env.MONGODB_URI) {
    const started = await startJongodb();
    process.env.MONGODB_URI = started.uri;
    mongo = started;
  }
  let e2e: E2e | undefined;
  const browser = await launchChromium();
  try {
    e2e = await startE2e(__filename, ['api']);
    const group = e2e.fixtures.workplace.groups[0].id as string;
    const spec = e2e.demoFlow(e2e.fixtures.pages[0].id, 'bench');
    const steps = Array.from({ length: STEPS }, (_, i) => ({
      id: `s${i + 1}`,
      card: 'workplace/post-to-group@1',
      configurationId: e2e!.workplaceConfigurationId,
      input: { groupId: group, message: `Step ${i + 1}: {{trigger.output.fields.email}}` },
    }));
    const created = await e2e.api('/v1/flows', { method: 'POST', body: { spec: { ...spec, steps } } });
    if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.body)}`);
    const flowId = created.body.id as string;

    const open = async (
      path: string,
      ready: (page: Page, drawn: () => void) => Promise<void>,
    ): Promise<{ ms: number; jsGzip: number; jsFiles: number; drawnJsGzip: number }> => {
      const context = await browser.newContext({
        baseURL: e2e!.runtime.url,
        viewport: { width: 1440, height: 900 },
        extraHTTPHeaders: { authorization: `Bearer ${e2e!.apiKey}` },
      });
      const page = await context.newPage();
      const scripts: Promise<number>[] = [];
      let drawnCount = -1;
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script')
          scripts.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
      });
      await page.goto(path);
      await ready(page, () => {
        drawnCount = scripts.length;
      });
      const ms = await page.evaluate(() => performance.now());
      const sizes = await Promise.all(scripts);
      await context.close();
      const sum = (list: number[]): number => list.reduce((a, b) => a + b, 0);
      return {
        ms,
        jsGzip: sum(sizes),
        jsFiles: sizes.length,
        drawnJsGzip: sum(sizes.slice(0, drawnCount < 0 ? sizes.length : drawnCount)),
      };
    };

    const editorReady = async (page: Page, drawn: () => void): Promise<void> => {
      await page.getByTestId(`node-s${STEPS}`).waitFor({ state: 'attached', timeout: 120_000 });
      await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
      drawn();
      await page.getByTestId('node-s1').click();
      await page.getByRole('heading', { name: 'Post to a group', level: 2 }).waitFor({ timeout: 120_000 });
    };
    const listReady = async (page: Page): Promise<void> => {
      await page.locator(`tr[data-flow-id="${flowId}"]`).waitFor({ timeout: 120_000 });
    };
    const hubReady = async (page: Page): Promise<void> => {
      await page.locator('main h1').first().waitFor({ timeout: 120_000 });
    };

    await open(`/flows/${flowId}`, editorReady); // warm the runtime's static files and the catalog
    const editor: number[] = [];
    const list: number[] = [];
    let editorJs = { jsGzip: 0, jsFiles: 0, drawnJsGzip: 0 };
    let hubJs = { jsGzip: 0, jsFiles: 0, drawnJsGzip: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const e = await open(`/flows/${flowId}`, editorReady);
      const l = await open('/flows', listReady);
      editor.push(e.ms);
      list.push(l.ms);
      editorJs = e;
    }
    hubJs = await open('/settings/integrations', hubReady);
    const editorMs = median(editor);
    const listMs = median(list);
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
    process.stdout.write(
      [
        `open a ${STEPS}-step flow in the editor (navigation → 50th card drawn + a card's panel opens), median of ${ROUNDS}: ${editorMs.toFixed(0)} ms`,
        `baseline: the flows list (navigation → row drawn), same run: ${listMs.toFixed(0)} ms`,
        `ratio editor / list: ${(editorMs / listMs).toFixed(2)}`,
        `first-load JS, editor route until the canvas is drawn: ${kb(editorJs.drawnJsGzip)} gzipped; with the side panel's form (rjsf, JSONata) after a card is opened: ${kb(editorJs.jsGzip)} in ${editorJs.jsFiles} files`,
        `first-load JS, Integrations hub page: ${kb(hubJs.jsGzip)} gzipped in ${hubJs.jsFiles} files (ratio editor / hub ${(editorJs.jsGzip / hubJs.jsGzip).toFixed(2)})`,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close().catch(() => undefined);
    await e2e?.stop();
    await mongo?.stop();
  }
}
