// The ingest on both databases: history keyed by the cycle and counted as written, one transaction per cycle.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db, Queryable } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { ingest } from './ingest.ts';
import { DEFAULT_OPTIONS, etcMarket } from './test-market.ts';

const T0 = new Date('2024-02-16T16:40:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
/** ETC's difficulty after a 25 % move. */
const MOVED = 2.2532e15 * 1.25;
const OPTIONS = DEFAULT_OPTIONS;

/** ETC measured at `dataAt` (its pool at `poolAt`). */
const market = (dataAt: Date, priceUsd = 27.61, difficulty = 2.2532e15, poolAt = dataAt) =>
  etcMarket({ dataAt, priceUsd, difficulty, poolAt });

/** A database whose statements fail once one matches `pattern`, inside a transaction or not. */
function failingOn(db: Db, pattern: RegExp): Db {
  const guard =
    (q: Queryable): Queryable['query'] =>
    (sql, params) => {
      if (pattern.test(sql)) return Promise.reject(new Error(`injected failure on ${pattern}`));
      return q.query(sql, params);
    };
  return {
    ...db,
    query: guard(db),
    transaction: (fn) => db.transaction((tx) => fn({ query: guard(tx) })),
  };
}

for (const database of testDatabases()) {
  describe(`ingest on ${database.name}`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db?.close());

    const history = (table: 'coin_history' | 'pool_history') =>
      db.query<{ time: Date }>(`SELECT time FROM ${table} ORDER BY time`);

    it('keeps every change under one data time (a cached answer), keyed by the cycle, and counts it', async () => {
      const dataAt = at(-60);
      const first = await ingest(db, market(dataAt), [], T0, OPTIONS);
      // Same data time, moved difficulty: a source answering from a cache while the others moved.
      const second = await ingest(db, market(dataAt, 27.61, MOVED), [], at(300), OPTIONS);
      assert.deepEqual([first.coinHistory, second.coinHistory], [1, 1]);
      assert.deepEqual([first.poolHistory, second.poolHistory], [1, 1]);
      assert.deepEqual(
        (await history('coin_history')).map((r) => r.time.getTime()),
        [T0.getTime(), at(300).getTime()],
      );
      const [coin] = await db.query<{ difficulty: number; history_at: Date }>(
        'SELECT difficulty, history_at FROM coins',
      );
      assert.equal(coin!.difficulty, MOVED);
      assert.equal(coin!.history_at.getTime(), at(300).getTime());
    });

    it('adds no history for repeated values with moving data times, and the heartbeat once it is due', async () => {
      const quiet = await ingest(db, market(at(240), 27.61, MOVED), [], at(360), OPTIONS);
      assert.deepEqual([quiet.coinHistory, quiet.poolHistory], [0, 0]);
      const heartbeat = await ingest(db, market(at(840), 27.61, MOVED), [], at(900), OPTIONS);
      assert.deepEqual([heartbeat.coinHistory, heartbeat.poolHistory], [1, 1]);
      assert.equal((await history('coin_history')).length, 3);
    });

    it('flags a pool stale and unhealthy by the time of its data', async () => {
      const snapshot = market(at(900), 27.61, MOVED);
      // A pool answering with a day-old clock (2Miners' `now`), seen for the first time.
      snapshot.pools.push({ ...snapshot.pools[0]!, pool: 'nanopool', observedAt: at(900 - 86_400) });
      await ingest(db, snapshot, [], at(960), OPTIONS);
      const pools = await db.query<{ pool_key: string; stale: boolean; healthy: boolean }>(
        'SELECT pool_key, stale, healthy FROM pools ORDER BY pool_key',
      );
      assert.deepEqual(pools, [
        { pool_key: '2miners:ETC', stale: false, healthy: true },
        { pool_key: 'nanopool:ETC', stale: true, healthy: false },
      ]);
    });

    it('writes nothing of a cycle whose write fails half-way', async () => {
      const tables = ['coins', 'coin_history', 'pools', 'pool_history', 'source_runs'];
      const snapshot = async () =>
        Promise.all(tables.map((t) => db.query(`SELECT * FROM ${t} ORDER BY 1, 2`)));
      const before = await snapshot();
      const run = {
        source: 'coingecko',
        startedAt: at(1200),
        finishedAt: at(1201),
        ok: true,
        rows: 2,
        durationMs: 5,
      };
      await assert.rejects(
        ingest(failingOn(db, /INSERT INTO pool_history/), market(at(1180), 30), [run], at(1200), OPTIONS),
        /injected failure/,
      );
      assert.deepEqual(await snapshot(), before);
    });
  });
}
