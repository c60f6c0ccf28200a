// Screenshots of the views: always taken; written to docs/screenshots (shown in the README) with SM_UPDATE_SCREENSHOTS=1.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const DIR = join(import.meta.dirname, '../../docs/screenshots');

/** The PNG of the page as it is now; saved as `<name>.png` when the committed ones are being updated. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: options.fullPage ?? false, animations: 'disabled' });
  if (process.env.SM_UPDATE_SCREENSHOTS) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, `${name}.png`), png);
  }
  return png;
}
