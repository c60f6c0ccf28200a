// Tests for /v1/ranking: by hardware (with and without electricity), by algorithms and hashrate, bad parameters.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { approx, openTestApp, seedMarket, type TestApp } from '../test-support.ts';

interface Entry {
  rank: number;
  target: string;
  pool: string | null;
  revenueUsdPerDay: number;
  costUsdPerDay: number;
  profitUsdPerDay: number;
  hashrateHs: number;
  dataAgeS: number;
  stale: boolean;
}

for (const database of testDatabases()) {
  describe(`ranking route (${database.name})`, () => {
    let t: TestApp;
    const rank = async (query: string): Promise<Entry[]> => {
      const res = await t.app.inject({ url: `/v1/ranking?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().ranking;
    };
    const summary = (entries: Entry[]) => entries.map((e) => [e.rank, e.target, e.profitUsdPerDay]);
    const assertSummary = (entries: Entry[], expected: [number, string, number][]) => {
      assert.deepEqual(
        summary(entries).map(([r, target]) => [r, target]),
        expected.map(([r, target]) => [r, target]),
      );
      for (const [i, [, target, usd]] of expected.entries()) {
        assert.ok(
          approx(entries[i]!.profitUsdPerDay, usd),
          `${target}: ${entries[i]!.profitUsdPerDay} != ${usd}`,
        );
      }
    };

    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
    });
    after(() => t.close());

    it('ranks every algorithm a device can mine at its hashrate, coins without a pool included', async () => {
      const entries = await rank('hardware=nvidia-rtx-3080');
      assertSummary(entries, [
        [1, 'ERG', 4],
        [2, '2miners:RVN', 1.485],
        [3, '2miners:ETC', 0.99],
        [4, 'nanopool:ETC', 0.98],
      ]);
      assert.equal(entries[0]!.pool, null);
      assert.equal(entries[1]!.hashrateHs, 50e6);
      assert.equal(entries[1]!.costUsdPerDay, 0);
      assert.equal(entries[3]!.dataAgeS, 120);
    });

    it('subtracts electricity when a price is given', async () => {
      const entries = await rank('hardware=nvidia-rtx-3080&electricityUsdPerKwh=0.1');
      assertSummary(entries, [
        [1, 'ERG', 3.4],
        [2, '2miners:RVN', 0.765],
        [3, '2miners:ETC', 0.438],
        [4, 'nanopool:ETC', 0.428],
      ]);
      assert.ok(approx(entries[1]!.costUsdPerDay, 0.72));
      assert.ok(approx(entries[1]!.revenueUsdPerDay, 1.485));
    });

    it('ranks algorithms at a given hashrate (one value, or one per algorithm)', async () => {
      assertSummary(await rank('algorithms=etchash,kawpow&hashrateHs=1e6'), [
        [1, '2miners:RVN', 0.0297],
        [2, '2miners:ETC', 0.0099],
        [3, 'nanopool:ETC', 0.0098],
      ]);
      assertSummary(await rank('algorithms=etchash,kawpow&hashrateHs=1e9,1e6'), [
        [1, '2miners:ETC', 9.9],
        [2, 'nanopool:ETC', 9.8],
        [3, '2miners:RVN', 0.0297],
      ]);
    });

    it('defaults to every algorithm per H/s, stale targets left out unless asked for', async () => {
      assertSummary(await rank('limit=2'), [
        [1, '2miners:RVN', 2.97e-8],
        [2, 'ERG', 2e-8],
      ]);
      assert.deepEqual(await rank('algorithms=randomx'), []);
      const stale = await rank('algorithms=randomx&includeStale=true');
      assert.equal(stale[0]!.target, 'nanopool:XMR');
      assert.equal(stale[0]!.stale, true);
    });

    it('names the bad parameter', async () => {
      const cases: [string, string][] = [
        [
          'algorithms=etchash,kawpow&hashrateHs=1,2,3',
          'querystring/hashrateHs must be one value or one per algorithm',
        ],
        [
          'algorithms=etchash&hashrateHs=-5',
          'querystring/hashrateHs must be H/s above 0 and at most 1e+21: one value, or one per algorithm',
        ],
        ['hardware=nope', 'querystring/hardware is not a known device: nope'],
        ['electricityUsdPerKwh=-1', 'querystring/electricityUsdPerKwh must be >= 0'],
        ['limit=0', 'querystring/limit must be >= 1'],
        ['includeStale=maybe', 'querystring/includeStale must be a boolean'],
      ];
      for (const [query, message] of cases) {
        const res = await t.app.inject({ url: `/v1/ranking?${query}` });
        assert.equal(res.statusCode, 400, query);
        assert.deepEqual(res.json(), { error: { code: 'SM_API_BAD_PARAMETER', message } }, query);
      }
    });
  });
}
