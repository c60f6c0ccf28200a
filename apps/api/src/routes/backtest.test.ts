// Tests for /v1/backtest: history seeded over 6 h where two kawpow coins trade places; earnings worked out by hand.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { DEFAULT_STALENESS_LIMITS } from '@smart-mining/domain';
import { BACKTEST_MAX_ROWS, type BacktestReportJson, runBacktest } from '../backtest-service.ts';
import { ApiError } from '../errors.ts';
import { MarketCache } from '../market-cache.ts';
import {
  approx,
  insertCoin,
  insertCoinHistory,
  insertHardware,
  insertPool,
  openTestApp,
  T0,
  type TestApp,
} from '../test-support.ts';

type BacktestBody = BacktestReportJson;

const FROM = new Date('2026-11-25T00:00:00.000Z');
const hour = (h: number) => new Date(FROM.getTime() + h * 3_600_000);
const RANGE = `from=${hour(0).toISOString()}&to=${hour(6).toISOString()}`;

async function insertPoolFees(db: Db, poolKey: string, rows: { time: Date; feeFraction: number }[]) {
  for (const r of rows) {
    await db.query('INSERT INTO pool_history (pool_key, time, fee_fraction) VALUES ($1, $2, $3)', [
      poolKey,
      r.time,
      r.feeFraction,
    ]);
  }
}

/**
 * RVN (2miners, 1 % fee, no fee history) and CLORE (2miners; fee 1 % from history, 2 % from 03:00,
 * 5 % in the pools table) on kawpow; ETC on etchash at a value that would win everything if it leaked
 * in. RVN's 00:00 value comes from a row at 23:50 the day before; its 03:00 row is untrusted; nothing
 * has a row at 04:00, so both coins are stale then (maxDataAgeS 900 s).
 */
async function seedHistory(db: Db): Promise<void> {
  await insertCoin(db, { coin: 'RVN', algorithm: 'kawpow', usdPerHsDay: 3e-8, observedAt: T0 });
  await insertCoin(db, { coin: 'CLORE', algorithm: 'kawpow', usdPerHsDay: 2e-8, observedAt: T0 });
  await insertCoin(db, { coin: 'ETC', algorithm: 'etchash', usdPerHsDay: 1e-6, observedAt: T0 });
  await insertPool(db, { poolKey: '2miners:RVN', feeFraction: 0.01, updatedAt: T0 });
  await insertPool(db, { poolKey: '2miners:CLORE', feeFraction: 0.05, updatedAt: T0 });
  await insertPool(db, { poolKey: '2miners:ETC', feeFraction: 0.01, updatedAt: T0 });
  // Fee-free, so it would top every RVN step, but no stratum endpoint is known: it must never be replayed.
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at)
     VALUES ('nowhere:RVN', 'nowhere', 'RVN', 0, '[]', $1, $1)`,
    [T0],
  );
  await insertCoinHistory(db, 'RVN', [
    { time: new Date('2026-11-24T23:50:00.000Z'), usdPerHsDay: 3e-8 },
    { time: hour(1), usdPerHsDay: 3e-8 },
    { time: hour(2), usdPerHsDay: 1e-8 },
    { time: hour(3), usdPerHsDay: 9e-8, trusted: false },
    { time: hour(5), usdPerHsDay: 3e-8 },
    { time: hour(6), usdPerHsDay: 50e-8 },
  ]);
  await insertCoinHistory(
    db,
    'CLORE',
    [0, 1, 2, 3, 5].map((h) => ({ time: hour(h), usdPerHsDay: 2e-8 })),
  );
  await insertCoinHistory(
    db,
    'ETC',
    [0, 1, 2, 3, 4, 5].map((h) => ({ time: hour(h), usdPerHsDay: 1e-6 })),
  );
  await insertPoolFees(db, '2miners:CLORE', [
    { time: new Date('2026-11-24T23:00:00.000Z'), feeFraction: 0.01 },
    { time: hour(1), feeFraction: 0.01 },
    { time: hour(2), feeFraction: 0.01 },
    { time: hour(3), feeFraction: 0.02 },
  ]);
  await insertHardware(
    db,
    {
      hardware: 'rig-1',
      kind: 'gpu',
      vendor: 'NVIDIA',
      mining: [
        { algorithm: 'kawpow', hashrateHs: 50e6, powerW: 250 },
        { algorithm: 'etchash', hashrateHs: 100e6, powerW: 230 },
      ],
    },
    T0,
  );
}

// USD/day at 100 MH/s: RVN 3e-8 → 2.97, 1e-8 → 0.99; CLORE 2e-8 at 1 % → 1.98, at 2 % → 1.96.
// 00 RVN 2.97 (start) · 01 RVN 2.97 · 02 CLORE 1.98 (switch) · 03 CLORE 1.96 (RVN untrusted)
// · 04 idle (both stale) · 05 RVN 2.97 (switch): 12.85 USD/day-hours over 24.
const EARNED_USD = 12.85 / 24;
// Fixed on RVN: 2.97 + 2.97 + 0.99 + 0 + 0 + 2.97 = 9.90; on CLORE: 1.98 × 3 + 1.96 + 0 + 1.96 = 9.86.
const BEST_FIXED_USD = 9.9 / 24;

for (const database of testDatabases()) {
  describe(`backtest route (${database.name})`, () => {
    let t: TestApp;
    const ask = async (query: string): Promise<BacktestBody> => {
      const res = await t.app.inject({ url: `/v1/backtest?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    before(async () => {
      t = await openTestApp(database, {}, seedHistory);
    });
    after(() => t.close());

    it('replays max-usd-coin hour by hour: switches, USD earned, best fixed target', async () => {
      const body = await ask(`algorithms=kawpow&hashrateHs=1e8&${RANGE}`);
      assert.equal(body.profile, 'max-usd-coin');
      assert.equal(body.from, hour(0).toISOString());
      assert.equal(body.to, hour(6).toISOString());
      assert.equal(body.stepS, 3600);
      assert.equal(body.snapshots, 6);
      assert.equal(body.switches, 2);
      assert.ok(approx(body.usdEarned, EARNED_USD), String(body.usdEarned));
      assert.equal(body.bestFixed?.target, '2miners:RVN');
      assert.ok(approx(body.bestFixed!.usdEarned, BEST_FIXED_USD), String(body.bestFixed!.usdEarned));
      assert.ok(approx(body.vsBestFixedFraction!, (12.85 - 9.9) / 9.9));
      assert.deepEqual(
        body.timeline.map((e) => [
          e.at.slice(11, 16),
          e.target,
          Number(e.valueUsdPerDay.toFixed(6)),
          e.switched,
        ]),
        [
          ['00:00', '2miners:RVN', 2.97, false],
          ['01:00', '2miners:RVN', 2.97, false],
          ['02:00', '2miners:CLORE', 1.98, true],
          ['03:00', '2miners:CLORE', 1.96, false],
          ['04:00', null, 0, false],
          ['05:00', '2miners:RVN', 2.97, true],
        ],
      );
    });

    it('skips every step whose data is older than maxDataAgeS (half-hour steps fall 30 min after a row)', async () => {
      const body = await ask(`algorithms=kawpow&hashrateHs=1e8&${RANGE}&stepS=1800`);
      assert.equal(body.snapshots, 12);
      assert.deepEqual(
        body.timeline.filter((e) => e.at.slice(14, 16) === '30').map((e) => e.target),
        [null, null, null, null, null, null],
      );
      assert.equal(body.switches, 2);
      assert.ok(approx(body.usdEarned, EARNED_USD / 2), String(body.usdEarned));
    });

    it("values a device at today's measured hashrate, on the connection's algorithm for max-usd-coin", async () => {
      const body = await ask(`hardware=rig-1&algorithms=kawpow&${RANGE}`);
      assert.equal(body.switches, 2);
      assert.ok(approx(body.usdEarned, EARNED_USD / 2), String(body.usdEarned));
    });

    it('follows the most profitable algorithm of the device with max-usd-hashrate', async () => {
      const body = await ask(`profile=max-usd-hashrate&hardware=rig-1&${RANGE}`);
      assert.deepEqual(new Set(body.timeline.map((e) => e.target)), new Set(['2miners:ETC']));
      assert.equal(body.switches, 0);
      // 100 MH/s × 1e-6 × 0.99 = 99 USD/day for 6 h.
      assert.ok(approx(body.usdEarned, 99 / 4), String(body.usdEarned));
      assert.deepEqual(body.bestFixed?.target, '2miners:ETC');
      assert.equal(body.vsBestFixedFraction, 0);
    });

    it('earns nothing and names no best fixed target when no history covers the range', async () => {
      const body = await ask('algorithms=kawpow&from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z');
      assert.equal(body.snapshots, 24);
      assert.equal(body.usdEarned, 0);
      assert.equal(body.switches, 0);
      assert.equal(body.bestFixed, null);
      assert.equal(body.vsBestFixedFraction, null);
    });

    it('names the bad parameter', async () => {
      const algos = 'algorithms=kawpow';
      const cases: [string, string][] = [
        [algos, 'querystring/from is required'],
        [`${algos}&from=${hour(0).toISOString()}`, 'querystring/to is required'],
        [
          `${algos}&from=yesterday&to=${hour(6).toISOString()}`,
          'querystring/from must be an ISO 8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z',
        ],
        [
          `${algos}&from=${hour(6).toISOString()}&to=${hour(0).toISOString()}`,
          'querystring/from must be before to',
        ],
        [`${algos}&${RANGE}&stepS=30`, 'querystring/stepS must be >= 60'],
        [
          `${algos}&from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&stepS=60`,
          'querystring/stepS is too small for the range (at most 10000 steps)',
        ],
        [RANGE, 'querystring/algorithms is required unless hardware is given'],
        [`${algos}&${RANGE}&profile=nope`, 'querystring/profile names no profile: nope'],
        [`hardware=nope&${RANGE}`, 'querystring/hardware is not a known device: nope'],
        [`algorithms=scrypto&${RANGE}`, 'querystring/algorithms has unknown algorithm(s): scrypto'],
        [
          `${algos}&hashrateHs=fast&${RANGE}`,
          'querystring/hashrateHs must be H/s above 0 and at most 1e+21: one value, or one per algorithm',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await t.app.inject({ url: `/v1/backtest?${query}` });
        assert.equal(res.statusCode, 400, query);
        assert.deepEqual(res.json(), { error: { code: 'SM_API_BAD_PARAMETER', message } }, query);
      }
    });

    it('refuses a range holding more history rows than the bound instead of loading it', async () => {
      const market = await new MarketCache(t.db, {
        ttlMs: 0,
        now: () => T0,
        staleness: DEFAULT_STALENESS_LIMITS,
      }).get();
      const deps = { db: t.db, market, defaults: { profile: 'max-usd-coin', hashrateHs: 1 } };
      const request = { algorithms: ['kawpow' as const], from: hour(0), to: hour(6) };
      // 10 coin rows (with RVN's 23:50) + 3 fee rows (23:00, 01:00, 03:00; 02:00 repeats 01:00's fee).
      const fits = await runBacktest({ ...deps, maxRows: 13 }, request);
      assert.equal(fits.switches, 2);
      await assert.rejects(runBacktest({ ...deps, maxRows: 12 }, request), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.code, 'SM_API_BAD_PARAMETER');
        assert.match(error.message, /^querystring\/to makes the range too long: more than 12 history rows/);
        return true;
      });
      assert.equal(BACKTEST_MAX_ROWS, 100_000);
    });
  });
}
