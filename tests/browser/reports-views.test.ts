// The miners and switches views in real Chromium, on reports posted through the real API with a proxy token:
// 10K miners page without breaking the layout (laptop and phone widths), and new reports show without a reload.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { MinerReport, SwitchReport } from '@smart-mining/api-contract';
import { createToken } from '@smart-mining/db';
import type { Page } from 'playwright-core';
import { SNAPSHOT_NOW } from '../e2e/support.ts';
import { describeInBrowser, visibleText } from './browser.ts';
import { type DashboardSession, openDashboard } from './dashboard-session.ts';
import { screenshot } from './screenshots.ts';

const MINERS = 10_000;
const POOLS = ['2miners:RVN', '2miners:ETC', 'nanopool:ETC', '2miners:ERG'];
const HARDWARE = ['nvidia-rtx-3080', 'nvidia-rtx-3090', 'amd-rx-6800'];
const AGENTS = ['lolMiner/1.88', 'T-Rex/0.26.8', 'TeamRedMiner/0.10.21'];

const minutesBefore = (minutes: number) => new Date(SNAPSHOT_NOW.getTime() - minutes * 60_000).toISOString();

/** 10K miners in 40 accounts: acct00.rig0000 … with varied pools, hardware and counters. */
function fleet(): MinerReport[] {
  return Array.from({ length: MINERS }, (_, i) => ({
    miner: `acct${String(i % 40).padStart(2, '0')}.rig${String(i).padStart(4, '0')}`,
    poolKey: POOLS[i % POOLS.length]!,
    profile: i % 2 ? 'max-usd-hashrate' : 'max-usd-coin',
    hardware: HARDWARE[i % HARDWARE.length]!,
    algorithm: i % 4 === 3 ? 'autolykos2' : i % 4 === 0 ? 'kawpow' : 'etchash',
    agent: AGENTS[i % AGENTS.length]!,
    connectedAt: minutesBefore(60 + (i % 300)),
    accepted: 1000 + i,
    rejected: i % 7,
    stale: i % 5,
    hashrateHs: 3e7 + (i % 100) * 1e6,
    usdPerDay: 0.5 + (i % 100) / 100,
  }));
}

const inputs = (marginFraction: number) => ({
  thresholdFraction: 0.03,
  minDwellS: 600,
  algorithmSwitchCostS: 60,
  dwellS: 1800,
  marginFraction,
  netMarginFraction: marginFraction - 0.01,
  expectedUsdPerDay: 0.78,
});

const ROUTE = 'max-usd-hashrate|hardware=nvidia-rtx-3080';

function aSwitch(
  n: number,
  at: string,
  from: string | null,
  to: string,
  method: SwitchReport['method'],
): SwitchReport {
  return {
    idempotencyKey: `browser-switch-${n}`,
    at,
    account: 'acct01',
    route: ROUTE,
    profile: 'max-usd-hashrate',
    fromPoolKey: from,
    toPoolKey: to,
    reason: from ? `switching to ${to}: 7.2 % above ${from}, over the 3 % threshold` : `starting on ${to}`,
    method,
    miners: 250,
    inputs: inputs(0.072),
  };
}

describeInBrowser('miners and switches views in Chromium', () => {
  let session: DashboardSession;
  let page: Page;
  let proxyToken: string;
  before(async () => {
    session = await openDashboard(async (stack) => {
      proxyToken = (await createToken(stack.db, { name: 'browser-proxy' })).token;
    });
    page = session.page;
  });
  after(() => session?.close());

  const post = async (path: string, body: object) => {
    const res = await fetch(`${session.stack.origin}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proxyToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json() as Promise<{ stored: number }>;
  };
  const noSideways = async (what: string) => {
    const widths = await page.evaluate<{ page: number; screen: number }>(
      '({ page: document.documentElement.scrollWidth, screen: window.innerWidth })',
    );
    assert.ok(
      widths.page <= widths.screen,
      `${what}: page ${widths.page} px wide on a ${widths.screen} px screen`,
    );
  };

  it('miners: 10K reported miners, one page at a time, sorted, filtered, totals per account', async () => {
    const report = await post('/v1/reports/miners', {
      proxy: 'proxy-1',
      reportedAt: minutesBefore(1),
      miners: fleet(),
    });
    assert.equal(report.stored, MINERS);
    await session.show('#/miners');
    await page.evaluate('window.loadedOnce = true');
    const pager = page.getByRole('navigation', { name: 'Miners pages' });
    await pager.filter({ hasText: '1–50 of 10000' }).waitFor();
    const miners = page.getByRole('table', { name: 'Miners' });
    assert.equal(await miners.locator('tbody tr').count(), 50);
    // Sorted by USD/day, highest first: a miner at 1.49 USD/day heads the list.
    assert.match(await visibleText(miners.locator('tbody tr').first()), /\$1\.49/);
    assert.match(await visibleText(page.getByTestId('miners-summary')), /Miners\s+10,000/);
    const accounts = page.getByRole('table', { name: 'Accounts' });
    assert.match(await visibleText(accounts.locator('tbody tr').first()), /acct\d\d\s+250\b/);
    await page
      .getByRole('navigation', { name: 'Accounts pages' })
      .filter({ hasText: '1–10 of 40' })
      .waitFor();
    await noSideways('miners at 1366 px');
    await screenshot(page, 'miners');

    await miners.getByRole('columnheader', { name: 'Miner' }).click();
    assert.match(await visibleText(miners.locator('tbody tr').first()), /acct39\.rig9999/);
    await page.getByLabel('Filter').fill('acct06 nanopool');
    await pager.filter({ hasText: '1–50 of 250' }).waitFor();
    assert.match(await visibleText(miners.locator('tbody tr').first()), /nanopool:ETC/);
    await page.getByLabel('Filter').fill('');
    await pager.filter({ hasText: 'of 10000' }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await noSideways('miners at 390 px');
    await screenshot(page, 'miners-phone');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('miners: a new report (a miner moved) shows without a reload', async () => {
    await session.show('#/miners?q=acct00.rig0000');
    const row = page.getByRole('table', { name: 'Miners' }).locator('tr[data-key="proxy-1/acct00.rig0000"]');
    assert.match(await visibleText(row), /2miners:RVN/);
    await post('/v1/reports/miners', {
      proxy: 'proxy-1',
      miners: [{ ...fleet()[0]!, poolKey: '2miners:ETC', accepted: 5 }],
    });
    await row.filter({ hasText: '2miners:ETC' }).waitFor();
    assert.equal(await page.evaluate('window.loadedOnce'), true);
  });

  it('switches: a timeline per route with reason, margin, threshold, dwell, method and how long it held', async () => {
    await post('/v1/reports/switches', {
      proxy: 'proxy-1',
      switches: [
        aSwitch(1, minutesBefore(50), null, '2miners:ETC', 'reconnect'),
        aSwitch(2, minutesBefore(30), '2miners:ETC', '2miners:RVN', 'notify'),
        {
          ...aSwitch(3, minutesBefore(20), null, 'nanopool:ETC', 'set_extranonce'),
          account: 'acct02',
          route: 'max-usd-coin|algorithms=etchash',
          profile: 'max-usd-coin',
        },
      ],
    });
    await session.show('#/switches');
    const table = page.getByRole('table', { name: `Switches of acct01 ${ROUTE}` });
    await table.locator('tbody tr').first().waitFor();
    const newest = await visibleText(table.locator('tbody tr').first());
    assert.match(newest, /2miners:ETC → 2miners:RVN/);
    assert.match(newest, /switching to 2miners:RVN: 7\.2 % above 2miners:ETC/);
    assert.match(newest, /7\.2 %/);
    assert.match(newest, /notify/);
    assert.match(newest, /now/);
    const first = await visibleText(table.locator('tbody tr').nth(1));
    assert.match(first, /start → 2miners:ETC/);
    assert.match(first, /3\.0 %/); // threshold
    assert.match(first, /30 min \/ 10 min/); // dwell / minimum dwell
    assert.match(first, /reconnect/);
    assert.match(first, /20 min/); // held until the next switch
    await page.locator('section[data-route="acct02 max-usd-coin|algorithms=etchash"]').waitFor();
    await noSideways('switches at 1366 px');
    await screenshot(page, 'switches', { fullPage: true });

    // Live: a new switch shows without a reload, and the miner's own timeline lists it.
    await post('/v1/reports/switches', {
      proxy: 'proxy-1',
      switches: [aSwitch(4, minutesBefore(5), '2miners:RVN', 'nanopool:ETC', 'notify')],
    });
    await table.locator('tbody tr').first().filter({ hasText: '2miners:RVN → nanopool:ETC' }).waitFor();
    await page.getByLabel('Miner').fill('acct01.rig0001');
    const mine = page.getByRole('table', { name: 'Switches of acct01.rig0001' });
    await mine.locator('tbody tr').nth(2).waitFor();
    assert.equal(await mine.locator('tbody tr').count(), 3);
    assert.equal(await page.evaluate('window.loadedOnce'), true);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('Miner').fill('');
    await noSideways('switches at 390 px');
    await screenshot(page, 'switches-phone');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('threw no error in the page', () => {
    assert.deepEqual(session.pageErrors.map(String), []);
  });
});
