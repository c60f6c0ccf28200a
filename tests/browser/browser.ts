// Debian's Chromium driven by playwright-core (never a downloaded browser), or the reason the tests cannot run.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SM_CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A suite that needs Chromium. Without one it is a single skipped test that says why (so the run's summary
 * counts it), and the reason is printed where it shows.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, suite);
    return;
  }
  const reason =
    `no Chromium at ${CHROMIUM_PATH}: browser tests skipped ` +
    "(install Debian's: apt-get install -y chromium, or set SM_CHROMIUM_PATH)";
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  it(name, { skip: reason }, () => {});
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The page the browser opened with. */
  page: Page;
  close(): Promise<void>;
}

/** One browser per test file, on a fresh profile directory (removed on close), at a laptop's size. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sm-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: ARGS,
    headless: true,
    viewport: { width: 1366, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The element's text as rendered (table cells apart), as a user reads it. */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text, which is what is asserted.
  return locator.innerText();
}
