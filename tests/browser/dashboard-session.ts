// One session per test file: the system, one Chromium with one page on the dashboard, and the page's errors.

import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchChromium } from './browser.ts';
import { type Stack, startStack } from './stack.ts';

export interface DashboardSession {
  stack: Stack;
  page: Page;
  /** Uncaught errors in the page; a test file ends by checking there were none. */
  pageErrors: Error[];
  /** Goes to a view by its URL hash: the first call loads the page, later ones route inside it (no reload). */
  show(hash: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the system, lets `prepare` add data to it, and opens Chromium (the page stays blank until `show`). */
export async function openDashboard(prepare?: (stack: Stack) => Promise<void>): Promise<DashboardSession> {
  const stack = await startStack();
  let chromium: LaunchedBrowser | undefined;
  try {
    await prepare?.(stack);
    chromium = await launchChromium();
  } catch (error) {
    await stack.close();
    throw error;
  }
  const { page } = chromium;
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return {
    stack,
    page,
    pageErrors,
    show: async (hash) => {
      if (page.url().startsWith(stack.origin)) await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      else await page.goto(`${stack.origin}/${hash}`);
    },
    close: async () => {
      await chromium.close();
      await stack.close();
    },
  };
}
