// Tests for history rollups and retention: raw, hourly and daily reads agree on the same data; rollups are
// incremental and idempotent; an expired month goes only once its rollups are written, and reads still answer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from './db.ts';
import { writeHistoryFixture } from './history-fixture.ts';
import { dropExpiredHistory } from './history-retention.ts';
import { readRollupCoverage, rollUpHistory } from './history-rollups.ts';
import { ensureHistoryPartitionsBetween } from './partitions.ts';
import {
  type HistoryPoint,
  type HistoryRange,
  readCoinHistory,
  readPoolHistory,
} from './repositories/history-read.ts';
import { testDatabases } from './testing.ts';

const H = 3_600_000;
const START = new Date('2030-01-30T22:00:00Z');
const HOURS = 84;
/** The cycle after which rollups run: data goes on past it (the open hour and day come from raw rows). */
const ROLLUP_AT = new Date('2030-02-02T05:20:00Z');

const close = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);
};

function assertSamePoints<M extends string>(
  actual: HistoryPoint<M>[],
  expected: HistoryPoint<M>[],
  label: string,
) {
  assert.deepEqual(
    actual.map((p) => [p.at.toISOString(), p.samples]),
    expected.map((p) => [p.at.toISOString(), p.samples]),
    label,
  );
  actual.forEach((p, i) => {
    for (const [measure, aggregate] of Object.entries(p.values) as [M, HistoryPoint<M>['values'][M]][]) {
      const want = expected[i]!.values[measure];
      for (const fn of ['avg', 'min', 'max'] as const)
        close(aggregate[fn], want[fn], `${label} ${p.at.toISOString()} ${measure}.${fn}`);
    }
  });
}

/** The fixture's partitions (those created for the present month and the next ones are empty and older). */
const in2030 = (dropped: { partition: string }[]) =>
  dropped.map((d) => d.partition).filter((name) => name.includes('y2030'));

const RANGES: (HistoryRange & { label: string })[] = [
  {
    label: 'hourly buckets, ragged ends',
    from: new Date(START.getTime() + 1.3 * H),
    to: new Date('2030-02-02T09:47:00Z'),
    bucketS: 3600,
  },
  { label: 'two-hour buckets', from: START, to: new Date(START.getTime() + HOURS * H), bucketS: 7200 },
  {
    label: 'daily buckets, ragged ends',
    from: new Date(START.getTime() + 5.5 * H),
    to: new Date(START.getTime() + HOURS * H),
    bucketS: 86_400,
  },
  {
    label: 'weekly buckets',
    from: new Date('2030-01-01T00:00:00Z'),
    to: new Date('2030-03-01T00:00:00Z'),
    bucketS: 7 * 86_400,
  },
  {
    label: 'buckets no rollup fits (raw)',
    from: START,
    to: new Date(START.getTime() + HOURS * H),
    bucketS: 5400,
  },
];

for (const database of testDatabases()) {
  describe(`history rollups and retention (${database.name})`, () => {
    let db: Db;
    const rawAnswers = new Map<string, { coins: HistoryPoint<string>[]; pools: HistoryPoint<string>[] }>();
    const read = async (range: HistoryRange) => ({
      coins: await readCoinHistory(db, 'ETC', range),
      pools: await readPoolHistory(db, '2miners:ETC', range),
    });

    before(async () => {
      db = await database.open();
      await ensureHistoryPartitionsBetween(db, START, new Date(START.getTime() + HOURS * H));
      await writeHistoryFixture(db, {
        start: START,
        hours: HOURS,
        coins: ['ETC', 'RVN'],
        poolKeys: ['2miners:ETC', 'nanopool:RVN'],
      });
      for (const range of RANGES) rawAnswers.set(range.label, await read(range));
    });
    after(() => db.close());

    it('drops nothing before the rollups cover the month', async () => {
      assert.deepEqual(await dropExpiredHistory(db, new Date('2031-01-01T00:00:00Z'), 30 * 86_400), []);
    });

    it('rolls up the closed hours and days, and only those', async () => {
      const runs = await rollUpHistory(db, ROLLUP_AT);
      assert.deepEqual(
        runs.map((r) => [r.rollup, r.from.toISOString(), r.to.toISOString()]),
        [
          ['coin_hourly', '2030-01-30T22:00:00.000Z', '2030-02-02T05:00:00.000Z'],
          ['coin_daily', '2030-01-30T00:00:00.000Z', '2030-02-02T00:00:00.000Z'],
          ['pool_hourly', '2030-01-30T22:00:00.000Z', '2030-02-02T05:00:00.000Z'],
          ['pool_daily', '2030-01-30T00:00:00.000Z', '2030-02-02T00:00:00.000Z'],
        ],
      );
      const [hourly] = await db.query<{ n: number; samples: number }>(
        `SELECT count(*)::int AS n, sum(samples)::int AS samples FROM coin_history_hourly WHERE coin = 'ETC'`,
      );
      const [raw] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM coin_history WHERE coin = 'ETC' AND time < $1`,
        [new Date('2030-02-02T05:00:00Z')],
      );
      assert.deepEqual(hourly, { n: 55, samples: raw!.n });
      // The same cycle again, or a cycle within the same hour, has nothing new to write.
      assert.deepEqual(await rollUpHistory(db, new Date(ROLLUP_AT.getTime() + 60_000)), []);
    });

    for (const range of RANGES) {
      it(`reads agree with raw rows: ${range.label}`, async () => {
        const raw = rawAnswers.get(range.label)!;
        const now = await read(range);
        assertSamePoints(now.coins, raw.coins, 'coins');
        assertSamePoints(now.pools, raw.pools, 'pools');
      });
    }

    it('a rollup written again from scratch is the same (idempotent upserts)', async () => {
      const sql = 'SELECT * FROM coin_history_daily ORDER BY coin, bucket';
      const first = await db.query(sql);
      await db.query('DELETE FROM history_rollup_state');
      await rollUpHistory(db, ROLLUP_AT);
      const again = await db.query(sql);
      assert.equal(again.length, first.length);
      // Sums may add up in another order: equal to the last bits.
      again.forEach((row, i) => {
        for (const [column, value] of Object.entries(row)) {
          const was = first[i]![column];
          if (typeof value === 'number') close(value, was as number, column);
          else assert.deepEqual(value, was, column);
        }
      });
    });

    it('drops an expired month only when both its rollups cover it; reads then answer from rollups', async () => {
      const inMarch = new Date('2030-03-15T00:00:00Z');
      const daily = (await readRollupCoverage(db)).get('coin_daily')!;
      await db.query(`DELETE FROM history_rollup_state WHERE rollup = 'coin_daily'`);
      assert.deepEqual(in2030(await dropExpiredHistory(db, inMarch, 30 * 86_400)), ['pool_history_y2030m01']);
      await db.query(`INSERT INTO history_rollup_state (rollup, covered_to) VALUES ('coin_daily', $1)`, [
        daily,
      ]);
      // February ended less than 30 days before: kept.
      assert.deepEqual(in2030(await dropExpiredHistory(db, inMarch, 30 * 86_400)), ['coin_history_y2030m01']);
      const [left] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM coin_history WHERE time < '2030-02-01'`,
      );
      assert.equal(left!.n, 0);
      for (const range of RANGES.filter((r) => r.bucketS % 3600 === 0 && r.from.getTime() % H === 0)) {
        const raw = rawAnswers.get(range.label)!;
        const now = await read(range);
        assertSamePoints(now.coins, raw.coins, `${range.label} coins`);
        assertSamePoints(now.pools, raw.pools, `${range.label} pools`);
      }
    });

    it('catches up over weeks without rows and writes the buckets after them', async () => {
      const times = ['2030-02-10T03:10:00Z', '2030-02-25T07:40:00Z', '2030-02-25T07:50:00Z'];
      for (const time of times)
        await db.query(
          `INSERT INTO coin_history (coin, time, price_usd, trusted) VALUES ('GAP', $1, 3, true)`,
          [new Date(time)],
        );
      await rollUpHistory(db, new Date('2030-02-26T00:10:00Z'));
      const rows = await db.query<{ bucket: Date; samples: number }>(
        `SELECT bucket, samples FROM coin_history_hourly WHERE coin = 'GAP' ORDER BY bucket`,
      );
      assert.deepEqual(
        rows.map((r) => [r.bucket.toISOString(), r.samples]),
        [
          ['2030-02-10T03:00:00.000Z', 1],
          ['2030-02-25T07:00:00.000Z', 2],
        ],
      );
      const coverage = await readRollupCoverage(db);
      assert.deepEqual(coverage.get('coin_hourly'), new Date('2030-02-26T00:00:00Z'));
      assert.deepEqual(coverage.get('coin_daily'), new Date('2030-02-26T00:00:00Z'));
    });

    it('refuses a retention that is not a positive time', async () => {
      await assert.rejects(dropExpiredHistory(db, ROLLUP_AT, 0), /above 0/);
    });
  });
}
