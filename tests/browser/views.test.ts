// Each dashboard view in real Chromium on real data (replay server → aggregator → API), with a screenshot of each.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { appendEvent } from '@smart-mining/db';
import type { Page } from 'playwright-core';
import { SNAPSHOT_NOW } from '../e2e/support.ts';
import { describeInBrowser, visibleText } from './browser.ts';
import { type DashboardSession, openDashboard } from './dashboard-session.ts';
import { screenshot } from './screenshots.ts';
import { type Stack, seedYearOfHistory } from './stack.ts';

describeInBrowser('dashboard views in Chromium', () => {
  let session: DashboardSession;
  let stack: Stack;
  let page: Page;
  before(async () => {
    session = await openDashboard((s) => seedYearOfHistory(s.db));
    ({ stack, page } = session);
  });
  after(() => session?.close());
  const show = (hash: string) => session.show(hash);

  it('market: targets ranked for an RTX 3080, the profile pick and why, coins with their sources', async (t) => {
    await show('#/market?hardware=nvidia-rtx-3080&profile=max-usd-hashrate');
    const targets = page.getByRole('table', { name: 'Targets' });
    await targets.locator('tbody tr').first().waitFor();
    const first = await visibleText(targets.locator('tbody tr').first());
    assert.match(first, /2miners:RVN/);
    assert.match(first, /\$0\.7566/); // 46.45 MH/s × 1.6453e-8 USD/H/s/day × (1 − 1 % fee)
    const banner = await visibleText(page.getByTestId('decision'));
    assert.match(banner, /max-usd-hashrate mines 2miners:RVN/);
    assert.match(banner, /starting on RVN@2miners/);

    const coins = page.getByRole('table', { name: 'Coins' });
    await coins.locator('tr[data-key="ETC"]').click();
    const provenance = await visibleText(page.getByRole('table', { name: 'ETC sources' }));
    for (const source of ['binance', 'coingecko', 'minerstat', 'whattomine'])
      assert.match(provenance, new RegExp(source));
    assert.match(await visibleText(coins.locator('tr[data-key="ZEC"]')), /stale/);

    const firstRenderMs = await page.evaluate<number | undefined>(
      "performance.getEntriesByName('market-rendered')[0]?.startTime",
    );
    assert.equal(typeof firstRenderMs, 'number');
    t.diagnostic(`market first render: ${Math.round(firstRenderMs!)} ms after navigation start`);
    await screenshot(page, 'market', { fullPage: true });
  });

  it('history: a year of ETC and RVN price and difficulty on one chart, one axis per unit', async () => {
    await show('#/history?coins=ETC,RVN&measures=priceUsd,difficulty&range=1y');
    const legend = page.locator('.chart .u-legend');
    await legend.waitFor();
    const text = await visibleText(legend);
    for (const label of ['ETC price', 'RVN price', 'ETC difficulty', 'RVN difficulty'])
      assert.match(text, new RegExp(label));
    // 365 days in 12 h buckets, the snapshot's own bucket included.
    assert.match(await visibleText(page.locator('main')), /73[01] buckets of 12 h/);
    // Hovering the plot shows the values at that time.
    const plot = page.locator('.chart .u-over');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    assert.match(await visibleText(legend), /\$\d/);
    await screenshot(page, 'history');
  });

  it('backtest: a week of max-usd-hashrate on an RTX 3080: USD earned, switches, best fixed target', async () => {
    await show('#/backtest?hardware=nvidia-rtx-3080&profile=max-usd-hashrate&range=7d');
    const summary = page.getByTestId('backtest-summary');
    await summary.waitFor();
    const text = await visibleText(summary);
    assert.match(text, /USD earned\s+\$\d/);
    assert.match(text, /Best fixed target\s+\S+:\S+/);
    await page.locator('.chart canvas').first().waitFor();
    assert.ok((await page.getByRole('table', { name: 'Target changes' }).locator('tbody tr').count()) >= 1);
    await screenshot(page, 'backtest');
  });

  it('profiles: the built-ins listed, with their objective', async () => {
    await show('#/profiles');
    const table = page.getByRole('table', { name: 'Profiles' });
    await table.locator('tr[data-key="max-profit"]').waitFor();
    assert.match(await visibleText(table.locator('tr[data-key="max-profit"]')), /built in\s+profit/);
    await screenshot(page, 'profiles');
  });

  it('sources: each source last run and rows, hashrateno skipped for its missing key', async () => {
    await show('#/sources');
    const table = page.getByRole('table', { name: 'Sources' });
    await table.locator('tr[data-key="binance"]').waitFor();
    assert.match(
      await visibleText(table.locator('tr[data-key="binance"]')),
      /ok[\s\S]*2024-02-16 16:40:00 UTC/,
    );
    assert.match(
      await visibleText(table.locator('tr[data-key="hashrateno"]')),
      /skipped[\s\S]*HASHRATENO_API_KEY/,
    );
    await screenshot(page, 'sources');
  });

  it('phone width: 150 more pools are paged and nothing is wider than the screen', async () => {
    await stack.db.query(
      `INSERT INTO pools (pool_key, pool, coin, fee_fraction, hashrate_hs, miners, workers, usd_per_hs_day,
                          observed_at, updated_at)
       SELECT 'pool' || i || ':ETC', 'pool' || i, 'ETC', 0.005 * (i % 4), 1e11 * i, 10 * i, 25 * i,
              c.usd_per_hs_day * (1 - 0.005 * (i % 4)), c.observed_at, c.updated_at
       FROM generate_series(1, 150) AS i CROSS JOIN coins c WHERE c.coin = 'ETC'`,
    );
    await appendEvent(
      stack.db,
      'rankings-changed',
      { cause: 'ingest', ingestedAt: SNAPSHOT_NOW.toISOString() },
      SNAPSHOT_NOW,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await show('#/market?hardware=nvidia-rtx-3080&profile=max-usd-hashrate');
    const pager = page.getByRole('navigation', { name: 'Pools pages' });
    await pager.filter({ hasText: '1–25 of 153' }).waitFor();
    const widths = await page.evaluate<{ page: number; screen: number }>(
      '({ page: document.documentElement.scrollWidth, screen: window.innerWidth })',
    );
    assert.ok(widths.page <= widths.screen, `page ${widths.page} px wide on a ${widths.screen} px screen`);
    await screenshot(page, 'market-phone');
    await pager.getByRole('button', { name: 'Next ›' }).click();
    await pager.filter({ hasText: '26–50 of 153' }).waitFor();
  });

  it('threw no error in the page', () => {
    assert.deepEqual(session.pageErrors.map(String), []);
  });
});
