// Backtests replayed from hourly and daily rollups equal the replay of raw rows wherever every step and window
// bound falls on the rollup's buckets, before and after the raw month is dropped.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Db, dropExpiredHistory, ensureHistoryPartitionsBetween, rollUpHistory } from '@smart-mining/db';
import { testDatabases, writeHistoryFixture } from '@smart-mining/db/testing';
import { parseProfileDefinition } from '@smart-mining/domain';
import { alignmentS, type BacktestReportJson } from './backtest-service.ts';
import { approx, insertCoin, insertPool, openTestApp, T0, type TestApp } from './test-support.ts';

const START = new Date('2030-01-29T22:00:00Z');
const HOURS = 96;

async function seed(db: Db): Promise<void> {
  await ensureHistoryPartitionsBetween(db, START, new Date(START.getTime() + HOURS * 3_600_000));
  await insertCoin(db, { coin: 'RVN', algorithm: 'kawpow', usdPerHsDay: 3e-8, observedAt: T0 });
  await insertCoin(db, { coin: 'CLORE', algorithm: 'kawpow', usdPerHsDay: 2e-8, observedAt: T0 });
  await insertPool(db, { poolKey: '2miners:RVN', feeFraction: 0.01, updatedAt: T0 });
  await insertPool(db, { poolKey: '2miners:CLORE', feeFraction: 0.05, updatedAt: T0 });
  await writeHistoryFixture(db, {
    start: START,
    hours: HOURS,
    coins: ['RVN', 'CLORE'],
    poolKeys: ['2miners:RVN', '2miners:CLORE'],
  });
  for (const basis of ['avg_1h', 'avg_24h'] as const) {
    const definition = parseProfileDefinition({
      objective: 'revenue',
      scope: 'algorithm',
      priceBasis: basis,
    });
    await db.query('INSERT INTO profiles (name, definition) VALUES ($1, $2)', [`by-${basis}`, definition]);
  }
}

const span = (from: string, to: string) => `from=${from}&to=${to}`;
const CASES = [
  {
    label: 'hourly steps, current price',
    query: `profile=max-usd-coin&${span('2030-01-30T01:00:00Z', '2030-02-02T09:00:00Z')}&stepS=3600`,
  },
  {
    label: 'hourly steps, 1 h average',
    query: `profile=by-avg_1h&${span('2030-01-30T01:00:00Z', '2030-02-02T09:00:00Z')}&stepS=3600`,
  },
  {
    label: 'two-hour steps, 24 h average',
    query: `profile=by-avg_24h&${span('2030-01-31T00:00:00Z', '2030-02-02T18:00:00Z')}&stepS=7200`,
  },
  {
    label: 'daily steps, current price',
    query: `profile=max-usd-coin&${span('2030-01-30T00:00:00Z', '2030-02-02T00:00:00Z')}&stepS=86400`,
  },
  {
    label: 'daily steps, 24 h average',
    query: `profile=by-avg_24h&${span('2030-01-31T00:00:00Z', '2030-02-02T00:00:00Z')}&stepS=86400`,
  },
];

function assertSameReport(actual: BacktestReportJson, expected: BacktestReportJson, label: string) {
  assert.deepEqual(
    actual.timeline.map((e) => [e.at, e.target, e.switched]),
    expected.timeline.map((e) => [e.at, e.target, e.switched]),
    label,
  );
  actual.timeline.forEach((e, i) => {
    assert.ok(approx(e.valueUsdPerDay, expected.timeline[i]!.valueUsdPerDay), `${label} ${e.at}`);
  });
  assert.equal(actual.switches, expected.switches, label);
  assert.ok(
    approx(actual.usdEarned, expected.usdEarned),
    `${label}: ${actual.usdEarned} vs ${expected.usdEarned}`,
  );
  assert.equal(actual.bestFixed?.target, expected.bestFixed?.target, label);
}

describe('backtest alignment', () => {
  it('is what every step and window bound is a multiple of', () => {
    const at = (iso: string) => new Date(`2030-01-30T${iso}Z`);
    assert.equal(alignmentS(at('01:00:00'), 3600, 86_400), 3600);
    assert.equal(alignmentS(at('00:00:00'), 86_400, 0), 86_400);
    assert.equal(alignmentS(at('00:00:00'), 86_400, 3600), 3600);
    assert.equal(alignmentS(at('01:30:00'), 3600, 0), 1800);
    assert.equal(alignmentS(at('01:00:00.250'), 3600, 0), 0.25);
  });
});

for (const database of testDatabases()) {
  describe(`backtest on rollups (${database.name})`, () => {
    let t: TestApp;
    const raw = new Map<string, BacktestReportJson>();
    const ask = async (query: string): Promise<BacktestReportJson> => {
      const res = await t.app.inject({ url: `/v1/backtest?algorithms=kawpow&hashrateHs=1e8&${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };

    before(async () => {
      t = await openTestApp(database, {}, seed);
      for (const c of CASES) raw.set(c.label, await ask(c.query));
    });
    after(() => t.close());

    it('the raw replays switch and skip stale steps (the comparison has something to compare)', () => {
      const hourly = raw.get('hourly steps, current price')!;
      assert.ok(hourly.switches >= 5, `switches ${hourly.switches}`);
      assert.ok(hourly.timeline.some((e) => e.target === null));
    });

    it('equals the raw replay with the hours and days before the open hour rolled up', async () => {
      // Rolled up to 2030-02-02 05:00: later steps read raw rows, earlier ones rollups.
      await rollUpHistory(t.db, new Date('2030-02-02T05:30:00Z'));
      for (const c of CASES) assertSameReport(await ask(c.query), raw.get(c.label)!, c.label);
    });

    it('equals it still once January is dropped from raw history', async () => {
      const dropped = await dropExpiredHistory(t.db, new Date('2030-03-15T00:00:00Z'), 30 * 86_400);
      assert.ok(dropped.some((d) => d.partition === 'coin_history_y2030m01'));
      for (const c of CASES) assertSameReport(await ask(c.query), raw.get(c.label)!, c.label);
    });
  });
}
