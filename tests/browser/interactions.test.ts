// The dashboard used, in real Chromium: profiles through the form (the API's field errors beside the fields),
// the market following an ingest without a reload, and a lost event stream shown and recovered.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { scaleCoinPrice } from '@smart-mining/testkit';
import type { Page } from 'playwright-core';
import { describeInBrowser, visibleText } from './browser.ts';
import { type DashboardSession, openDashboard } from './dashboard-session.ts';
import { screenshot } from './screenshots.ts';
import { type Stack, TOKEN } from './stack.ts';

describeInBrowser('dashboard interactions in Chromium', () => {
  let session: DashboardSession;
  let stack: Stack;
  let page: Page;
  before(async () => {
    session = await openDashboard();
    ({ stack, page } = session);
    await session.show('#/profiles');
    // Set once: a page that reloads loses it, which the live tests below rely on.
    await page.evaluate('window.loadedOnce = true');
  });
  after(() => session?.close());
  const show = (hash: string) => session.show(hash);
  const field = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) });
  const profileRow = (name: string) =>
    page.getByRole('table', { name: 'Profiles' }).locator(`tr[data-key="${name}"]`);
  const storedProfile = async (name: string) => {
    const res = await stack.app.inject({ url: `/v1/profiles/${name}` });
    return { status: res.statusCode, body: res.json() };
  };

  const useToken = async () => {
    if (await page.getByRole('button', { name: 'Forget it' }).isVisible()) return;
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
  };

  it('creates a profile through the form, edits it, and deletes it', async () => {
    await show('#/profiles');
    await useToken();
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('night-shift');
    await page.getByLabel('Description').fill('Profit at the night tariff');
    await page.getByLabel('Objective').selectOption('profit');
    await page.getByLabel('Electricity USD/kWh').fill('0.06');
    await page.getByLabel('Coins denied').fill('BTC, DOGE');
    await page.getByLabel('Threshold (fraction)').fill('0.05');
    await screenshot(page, 'profile-form');
    await page.getByRole('button', { name: 'Create' }).click();
    await profileRow('night-shift').waitFor();
    assert.match(await visibleText(profileRow('night-shift')), /profit/);
    const created = await storedProfile('night-shift');
    assert.equal(created.status, 200);
    assert.equal(created.body.definition.electricityUsdPerKwh, 0.06);
    assert.equal(created.body.definition.switching.thresholdFraction, 0.05);
    assert.deepEqual(created.body.definition.filters.coins, { deny: ['BTC', 'DOGE'] });

    await profileRow('night-shift').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Minimum dwell, s').fill('1200');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved night-shift.').waitFor();
    assert.equal((await storedProfile('night-shift')).body.definition.switching.minDwellS, 1200);

    await profileRow('night-shift').getByRole('button', { name: 'Delete' }).click();
    await profileRow('night-shift').getByRole('button', { name: 'Delete night-shift?' }).click();
    await profileRow('night-shift').waitFor({ state: 'detached' });
    assert.equal((await storedProfile('night-shift')).status, 404);
  });

  it("shows the API's error beside the field it names, and creates nothing", async () => {
    await show('#/profiles');
    await useToken();
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('too-eager');
    await page.getByLabel('Threshold (fraction)').fill('5');
    await page.getByRole('button', { name: 'Create' }).click();
    const error = field('Threshold (fraction)').getByRole('alert');
    await error.waitFor();
    assert.match(await visibleText(error), /must be <=\s*1/);
    assert.equal(await page.locator('.field-error').count(), 1);
    await screenshot(page, 'profile-field-error');
    assert.equal((await storedProfile('too-eager')).status, 404);

    await page.getByLabel('Name', { exact: true }).fill('Not A Name');
    await page.getByLabel('Threshold (fraction)').fill('0.05');
    await page.getByRole('button', { name: 'Create' }).click();
    await field('Name').getByRole('alert').waitFor();
    assert.match(await visibleText(field('Name').getByRole('alert')), /must be 1 to 63 lowercase letters/);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('follows an ingest on the market view without a reload', async () => {
    await show('#/market?hardware=nvidia-rtx-3080&profile=max-usd-hashrate');
    const firstTarget = page.getByRole('table', { name: 'Targets' }).locator('tbody tr').first();
    await firstTarget.filter({ hasText: '2miners:RVN' }).waitFor();
    // ETC × 4 pays more than RVN on this card; Binance alone quotes it × 6, so it is rejected as an outlier.
    scaleCoinPrice(stack.replay, 'ETC', 4);
    stack.replay.updateFixture<{ symbol: string; lastPrice: string }[]>(
      'binance/ticker_24hr_symbols.json',
      (rows) =>
        rows.map((r) =>
          r.symbol === 'ETCUSDT' ? { ...r, lastPrice: String(Number(r.lastPrice) * 1.5) } : r,
        ),
    );
    await stack.aggregator.runOnce();
    await firstTarget.filter({ hasText: ':ETC' }).waitFor();
    assert.equal(await page.evaluate('window.loadedOnce'), true, 'the page was reloaded');
    assert.match(await visibleText(page.getByTestId('decision')), /:ETC/);
    await page.getByRole('table', { name: 'Coins' }).locator('tr[data-key="ETC"]').click();
    const provenance = page.getByRole('table', { name: 'ETC sources' });
    assert.match(await visibleText(provenance), /binance\s+\S+\s+rejected: disagrees/);
    await screenshot(page, 'market-after-ingest', { fullPage: true });
  });

  it('shows a lost event stream, then recovers and catches up', async () => {
    await show('#/market?hardware=nvidia-rtx-3080&profile=max-usd-hashrate');
    const badge = page.locator('.live');
    await page.locator('.live[data-state="live"]').waitFor();
    // The browser cannot reconnect while the route is blocked; the stream it had is cut by the server.
    await page.route('**/v1/events', (route) => route.abort());
    stack.app.server.closeAllConnections();
    await page.locator('.live[data-state="lost"]').waitFor();
    assert.match(await visibleText(badge), /connection lost/);
    await screenshot(page, 'connection-lost');

    // What changes meanwhile shows once the stream is back (EventSource retries every 5 s).
    scaleCoinPrice(stack.replay, 'RVN', 10);
    await stack.aggregator.runOnce();
    await page.unroute('**/v1/events');
    await page.locator('.live[data-state="live"]').waitFor({ timeout: 30_000 });
    const firstTarget = page.getByRole('table', { name: 'Targets' }).locator('tbody tr').first();
    await firstTarget.filter({ hasText: '2miners:RVN' }).waitFor();
    assert.equal(await page.evaluate('window.loadedOnce'), true, 'the page was reloaded');
  });

  it('threw no error in the page', () => {
    assert.deepEqual(session.pageErrors.map(String), []);
  });
});
