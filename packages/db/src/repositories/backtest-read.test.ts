// The fee changes a backtest reads from rollups give, at every hourly step, the fee the raw rows give: with
// changes on a day's first row, inside a day, back to an earlier fee, and a day without any fee.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../db.ts';
import { rollUpHistory } from '../history-rollups.ts';
import { ensureHistoryPartitionsBetween } from '../partitions.ts';
import { testDatabases } from '../testing.ts';
import { type PoolHistorySeries, readBacktestHistory } from './backtest-read.ts';

const H = 3_600_000;
const DAY = 24 * H;
const START = new Date('2030-03-01T00:00:00Z');
const DAYS = 6;
const POOLS = ['a:FEE', 'b:FEE', 'c:FEE'];

/** Each pool's fee at a row's time (null: the row has none). */
function feeAt(pool: number, ms: number): number | null {
  const day = Math.floor((ms - START.getTime()) / DAY);
  const hour = ((ms - START.getTime()) % DAY) / H;
  if (pool === 0) return day < 2 ? 0.01 : day === 2 && hour < 13.5 ? 0.02 : day < 4 ? 0.01 : 0.03;
  if (pool === 1) return day === 3 ? null : day < 3 ? 0.005 : 0.007;
  return 0.01;
}

async function seed(db: Db): Promise<void> {
  await ensureHistoryPartitionsBetween(db, START, new Date(START.getTime() + DAYS * DAY));
  await db.query(
    `INSERT INTO coins (coin, name, algorithm, observed_at, updated_at) VALUES ('FEE', 'FEE', 'kawpow', $1, $1)`,
    [START],
  );
  await db.query(
    `INSERT INTO pools (pool_key, pool, coin, fee_fraction, endpoints, observed_at, updated_at)
     SELECT k, split_part(k, ':', 1), 'FEE', 0.01,
       '[{"host":"pool.example","port":4444,"tls":false,"dialect":"ethereum-stratum"}]', $2, $2
     FROM unnest($1::text[]) AS k`,
    [POOLS, START],
  );
  const times = Array.from({ length: (DAYS * DAY) / 600_000 }, (_, i) => START.getTime() + i * 600_000);
  for (const [p, key] of POOLS.entries()) {
    await db.query(
      `INSERT INTO pool_history (pool_key, time, fee_fraction, hashrate_hs)
       SELECT $1, t.time, t.fee, 1e12 FROM unnest($2::timestamptz[], $3::float8[]) AS t(time, fee)`,
      [key, times.map((ms) => new Date(ms)), times.map((ms) => feeAt(p, ms))],
    );
  }
}

/** The fee each pool had at each hourly step of [from, to), from its fee changes (null: none yet). */
function feesBySteps(pools: PoolHistorySeries[], from: Date, to: Date): Record<string, (number | null)[]> {
  const result: Record<string, (number | null)[]> = {};
  for (const pool of pools) {
    const steps: (number | null)[] = [];
    for (let at = from.getTime(); at < to.getTime(); at += H) {
      const latest = pool.fees.filter((f) => f.time.getTime() <= at).at(-1);
      steps.push(latest?.feeFraction ?? null);
    }
    result[pool.poolKey] = steps;
  }
  return result;
}

for (const database of testDatabases()) {
  describe(`backtest fee changes from rollups (${database.name})`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
      await seed(db);
      await rollUpHistory(db, new Date(START.getTime() + DAYS * DAY + 60_000));
    });
    after(() => db.close());

    for (const [label, fromH, toH] of [
      ['whole days', 24, 5 * 24],
      ['from and to inside days', 29, 5 * 24 + 7],
      ['from the first row', 0, 6 * 24],
    ] as const) {
      it(`are the raw rows' at every hourly step (${label})`, async () => {
        const from = new Date(START.getTime() + fromH * H);
        const to = new Date(START.getTime() + toH * H);
        const query = { algorithms: ['kawpow'], from, to, maxRows: 100_000 };
        const raw = await readBacktestHistory(db, query);
        const rolled = await readBacktestHistory(db, { ...query, alignS: 3600 });
        assert.deepEqual(feesBySteps(rolled.pools, from, to), feesBySteps(raw.pools, from, to));
        // Only changes: the rollups read no more fee points than there are changes (plus one per pool to start).
        const changes = rolled.pools.map((p) => p.fees.length);
        assert.ok(
          changes.every((n) => n <= 6),
          `fee points per pool: ${changes}`,
        );
      });
    }
  });
}
