import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startMetaEmulator, type MetaEmulator } from '@flowcard/meta-emulator';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { metaAppEnv } from '../../api/support/meta-app-env';
import { startTestRuntime, type TestRuntime } from '../../api/support/start-test-runtime';
import { repositoryRoot } from '../../support/log-capture';
import { launchChromium } from './chromium';

/** Generous: a busy 2-core box may take a while to start a process or render the first page (STUDIO_WAIT_MS shortens it while developing). */
export const READY_MS = Number(process.env.STUDIO_WAIT_MS ?? 120_000);

export interface StudioWorld {
  readonly meta: MetaEmulator;
  readonly runtime: TestRuntime;
  readonly browser: Browser;
  readonly url: string;
  /** A fresh browser context (its own cookies and storage: one person) with one page. */
  person(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** Builds the Studio when its sources changed since the last build (a hash check otherwise). */
export function buildStudioIfChanged(): void {
  execFileSync(process.execPath, [join(repositoryRoot, 'packages/studio/scripts/build-if-changed.mjs')], {
    stdio: 'pipe',
  });
}

/**
 * The real parts a person meets: the Meta emulator over HTTP, a runtime (API + Studio) on a free
 * port with its own database and Redis prefix, and Debian's Chromium.
 */
export async function startStudioWorld(file: string, env: Record<string, string> = {}): Promise<StudioWorld> {
  buildStudioIfChanged();
  const meta = await startMetaEmulator();
  let runtime: TestRuntime | undefined;
  let browser: Browser | undefined;
  try {
    runtime = await startTestRuntime(file, { env: { ...metaAppEnv(meta), ...env } });
    browser = await launchChromium();
  } catch (error) {
    await runtime?.stop();
    await meta.close();
    throw error;
  }
  const started = { runtime, browser };
  // localhost, like FLOWCARD_PUBLIC_URL's default: Connect Meta comes back there, cookies included.
  const url = runtime.url;
  return {
    meta,
    runtime,
    browser,
    url,
    async person() {
      const context = await started.browser.newContext({
        baseURL: url,
        viewport: { width: 1280, height: 900 },
      });
      context.setDefaultTimeout(READY_MS);
      context.setDefaultNavigationTimeout(READY_MS);
      return { context, page: await context.newPage() };
    },
    async stop() {
      await started.browser.close().catch(() => undefined);
      await started.runtime.stop();
      await meta.close();
    },
  };
}
