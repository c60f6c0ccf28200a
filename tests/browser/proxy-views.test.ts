// The real Stratum proxy seen in the dashboard: replay → aggregator → API → proxy (over HTTP, with its proxy token)
// → simulated LTC and DOGE pools, mined by simulated miners. The market moves, the proxy switches its miners, and
// the miners and switches views show it without a reload.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { buildApp } from '@smart-mining/api';
import { testDatabases } from '@smart-mining/db/testing';
import { waitFor } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { type ProxyStack, startProxyStack } from '../e2e/proxy-stack.ts';
import { describeInBrowser, type LaunchedBrowser, launchChromium, visibleText } from './browser.ts';
import { screenshot } from './screenshots.ts';
import { buildDashboard } from './stack.ts';

describeInBrowser('the real proxy in the dashboard', () => {
  let s: ProxyStack;
  let dashboardDir: string;
  let dashboard: FastifyInstance;
  let browser: LaunchedBrowser;
  let origin: string;
  const pageErrors: Error[] = [];

  before(async () => {
    s = await startProxyStack(testDatabases()[0]!, {
      algorithm: 'scrypt',
      pools: [
        { key: 'simltc:LTC', feeFraction: 0.01, id: 'c0c0' },
        { key: 'simdoge:DOGE', feeFraction: 0.01, id: 'd0d0' },
      ],
      profile: { name: 'e2e', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } },
      market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.1 } }),
      fallbackPool: 'simltc:LTC',
    });
    await Promise.all(
      (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
        s.miner({ username: `acct.rig${i + 1}`, password: 'p=e2e', profile }),
      ),
    );
    // A second API instance on the same database serves the dashboard (the stack's own serves none).
    dashboardDir = await buildDashboard();
    dashboard = await buildApp({ db: s.db, dashboardDir });
    await dashboard.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(dashboard.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    browser.page.on('pageerror', (e) => pageErrors.push(e));
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    await s?.close();
    if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('shows the miners on LTC, then the switch to DOGE in both views, live', async () => {
    const { page } = browser;
    await page.goto(`${origin}/#/miners`);
    await page.evaluate('window.loadedOnce = true');
    const miners = page.getByRole('table', { name: 'Miners' });
    const rig1 = miners.locator('tr[data-key="e2e-scrypt/acct.rig1"]');
    await rig1.filter({ hasText: 'simltc:LTC' }).waitFor({ timeout: 60_000 });
    assert.match(await visibleText(rig1), /e2e/);

    // DOGE at 0.4 of its recorded price: well past the 5 % threshold over LTC.
    s.replay.setMarket({ DOGE: { priceFactor: 0.4 } });
    await s.cycle();
    await waitFor(
      async () =>
        (await s.get<{ switches: { toPoolKey: string }[] }>('/v1/switches')).switches.some(
          (w) => w.toPoolKey === 'simdoge:DOGE',
        ),
      { what: 'the switch in /v1/switches' },
    );
    await rig1.filter({ hasText: 'simdoge:DOGE' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'miners-real-proxy');

    await page.evaluate(`location.hash = '#/switches'`);
    const section = page.locator('section.route-timeline', { hasText: 'simltc:LTC → simdoge:DOGE' });
    await section.waitFor();
    const row = await visibleText(section.locator('tbody tr').first());
    assert.match(row, /simltc:LTC → simdoge:DOGE/);
    assert.match(row, /threshold/);
    assert.match(row, /notify/);
    assert.match(row, /5\.0 %/);
    assert.equal(await page.evaluate('window.loadedOnce'), true);
    await screenshot(page, 'switches-real-proxy');
    assert.deepEqual(pageErrors.map(String), []);
  });
});
