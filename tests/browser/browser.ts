// Debian's Chromium driven by playwright-core (never a downloaded browser), or the reason the tests cannot run.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

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

/** Why the browser tests are skipped on this machine, or undefined when Chromium is there. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason =
    `no Chromium at ${CHROMIUM_PATH}: browser tests skipped ` +
    '(install Debian\'s: apt-get install -y chromium, or set SM_CHROMIUM_PATH)';
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
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
