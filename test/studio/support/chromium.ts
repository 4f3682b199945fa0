import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repositoryRoot } from '../../support/log-capture';

/**
 * Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH. playwright-core is pinned to the
 * release that drives this Chromium major; it never downloads a browser.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a closed network and a shared 2-core box: no background fetches, updates, sync or QUIC
 * (they would only time out here), no GPU. `launch()` gives every browser a fresh temporary
 * user-data dir of its own, deleted on close.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 120_000,
  });
}

/** Screenshots land here (git-ignored); look at them after a run. */
export const screenshotDir = join(repositoryRoot, 'test-output', 'studio');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
