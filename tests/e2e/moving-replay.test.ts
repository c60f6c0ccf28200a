// The replay market moved at run time (over its HTTP control route): the next ingest values the moved coin by the
// expected factor, its sources still agree (trusted, none rejected), and a declared pool on it moves alike.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Aggregator } from '@smart-mining/aggregator';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig, SNAPSHOT_NOW } from './support.ts';

interface CoinRow {
  coin: string;
  price_usd: number;
  difficulty: number;
  usd_per_hs_day: number;
  trusted: boolean;
  price_trusted: boolean;
  stale: boolean;
  sources: { rejected?: unknown };
}

const DOGE_POOL = {
  key: 'f2pool:DOGE',
  coin: 'DOGE',
  algorithm: 'scrypt',
  feeFraction: 0.03,
  urls: ['stratum+tcp://doge.f2pool.com:5599'],
};

const ratio = (after: number, before: number, expected: number, what: string) =>
  assert.ok(
    Math.abs(after / before - expected) < 1e-6,
    `${what}: ${after} / ${before} = ${after / before}, expected ${expected}`,
  );

for (const database of testDatabases()) {
  describe(`a replay market moved at run time, on ${database.name}`, () => {
    let server: ReplayServer;
    let db: Db;
    let aggregator: Aggregator;
    let clock = SNAPSHOT_NOW;

    const coin = async (key: string) =>
      (await db.query<CoinRow>('SELECT * FROM coins WHERE coin = $1', [key]))[0]!;
    const poolValue = async (key: string) =>
      (await db.query<{ u: number }>('SELECT usd_per_hs_day AS u FROM pools WHERE pool_key = $1', [key]))[0]!
        .u;
    const moveMarket = async (coins: unknown) => {
      const res = await fetch(`${server.origin}/_control/market`, {
        method: 'POST',
        body: JSON.stringify({ coins }),
      });
      assert.equal(res.status, 200, await res.text());
    };
    const ingestLater = async (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
      const report = await aggregator.runOnce();
      assert.deepEqual(
        report.runs.filter((r) => !r.ok).map((r) => r.source),
        [],
      );
    };

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      const config = replayConfig(server, {}, { pools: [DOGE_POOL] });
      aggregator = buildAggregator(config, db, silentLogger, { now: () => clock, fetch: server.fetch });
      await aggregator.runOnce();
    });
    after(async () => {
      await db?.close();
      await server?.close();
    });

    it('values DOGE 40 % higher after its price moves, every source agreeing', async () => {
      const before = await coin('DOGE');
      const poolBefore = await poolValue('f2pool:DOGE');
      assert.deepEqual([before.trusted, before.price_trusted, before.stale], [true, true, false]);
      await moveMarket({ DOGE: { priceFactor: 1.4 } });
      await ingestLater(120);
      const moved = await coin('DOGE');
      ratio(moved.price_usd, before.price_usd, 1.4, 'price');
      ratio(moved.usd_per_hs_day, before.usd_per_hs_day, 1.4, 'usd_per_hs_day');
      ratio(await poolValue('f2pool:DOGE'), poolBefore, 1.4, 'declared pool');
      assert.deepEqual([moved.trusted, moved.price_trusted, moved.stale], [true, true, false]);
      // The move is in consensus: nothing more is rejected than in the recording.
      assert.deepEqual(moved.sources.rejected, before.sources.rejected);
      const ltc = await coin('LTC');
      assert.equal(ltc.trusted, true, 'the other coins are untouched and trusted');
    });

    it('values a coin lower after its difficulty rises, still trusted', async () => {
      const before = await coin('KAS');
      await moveMarket({ DOGE: { priceFactor: 1.4 }, KAS: { difficultyFactor: 1.25 } });
      await ingestLater(120);
      const moved = await coin('KAS');
      ratio(moved.difficulty, before.difficulty, 1.25, 'difficulty');
      ratio(moved.usd_per_hs_day, before.usd_per_hs_day, 1 / 1.25, 'usd_per_hs_day');
      assert.deepEqual([moved.trusted, moved.stale], [true, false]);
      assert.deepEqual(moved.sources.rejected, before.sources.rejected);
    });

    it('goes back to the recorded market', async () => {
      const moved = await coin('DOGE');
      await moveMarket({});
      await ingestLater(120);
      ratio((await coin('DOGE')).usd_per_hs_day, moved.usd_per_hs_day, 1 / 1.4, 'DOGE back');
    });
  });
}
