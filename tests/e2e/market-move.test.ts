// The stored market stays true when the market moves: two snapshots over three cycles, one source answering from
// its cache, every coin, pool and device checked against values computed here from the fixtures.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Aggregator } from '@smart-mining/aggregator';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import {
  type ReplayServer,
  scaleCoinDifficulty,
  scaleCoinPrice,
  shiftMarketTime,
  startReplayServer,
} from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import {
  type ExpectedMarket,
  expectedMarket,
  type HashratenoAnswer,
  historyValues,
  RULES,
} from './market-model.ts';
import { replayConfig } from './support.ts';

/** Cycle 1 four minutes after the fixtures' snapshot; the market moves 20 minutes; cycle 3 five minutes later. */
const CYCLES = [
  new Date('2024-02-16T16:40:00Z'),
  new Date('2024-02-16T17:00:00Z'),
  new Date('2024-02-16T17:05:00Z'),
];

function close(actual: unknown, expected: number | null, what: string): void {
  if (expected === null) {
    assert.equal(actual, null, what);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: ${actual}`);
  const ok = Math.abs((actual as number) - expected) <= Math.abs(expected) * 1e-9;
  assert.ok(ok, `${what}: stored ${actual}, expected ${expected}`);
}

/** Counts history rows the way DESIGN.md says: a row on every change, a heartbeat while fresh and unchanged. */
class HistoryCount {
  #last = new Map<string, { values: string; atMs: number }>();
  readonly rows = new Map<string, number>();

  record(key: string, values: string, stale: boolean, nowMs: number): void {
    const last = this.#last.get(key);
    const due = !last || last.values !== values || (!stale && nowMs - last.atMs >= RULES.heartbeatS * 1000);
    if (!due) return;
    this.#last.set(key, { values, atMs: nowMs });
    this.rows.set(key, (this.rows.get(key) ?? 0) + 1);
  }
}

for (const database of testDatabases()) {
  describe(`a moving market over three cycles on ${database.name}`, () => {
    let server: ReplayServer;
    let db: Db;
    let aggregator: Aggregator;
    let clock = CYCLES[0]!;

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      aggregator = buildAggregator(replayConfig(server), db, silentLogger, { now: () => clock });
    });
    after(async () => {
      await db?.close();
      await server?.close();
    });

    const history = { coins: new HistoryCount(), pools: new HistoryCount() };

    async function checkStored(expected: ExpectedMarket, nowMs: number): Promise<void> {
      for (const c of expected.coins) history.coins.record(c.coin, historyValues(c), c.stale, nowMs);
      for (const p of expected.pools) history.pools.record(p.poolKey, historyValues(p), p.stale, nowMs);

      const coins = await db.query<Record<string, unknown>>(
        `SELECT c.*, (SELECT count(*)::int FROM coin_history h WHERE h.coin = c.coin) AS history_rows
         FROM coins c ORDER BY coin`,
      );
      assert.deepEqual(
        coins.map((c) => c.coin),
        expected.coins.map((c) => c.coin),
      );
      for (const e of expected.coins) {
        const row = coins.find((c) => c.coin === e.coin)!;
        close(row.price_usd, e.priceUsd, `${e.coin} price_usd`);
        close(row.volume_24h_usd, e.volume24hUsd, `${e.coin} volume_24h_usd`);
        close(row.difficulty, e.difficulty, `${e.coin} difficulty`);
        close(row.network_hashrate_hs, e.networkHashrateHs, `${e.coin} network_hashrate_hs`);
        close(row.block_reward, e.blockReward, `${e.coin} block_reward`);
        close(row.block_time_s, e.blockTimeS, `${e.coin} block_time_s`);
        close(row.usd_per_hs_day, e.usdPerHsDay, `${e.coin} usd_per_hs_day`);
        assert.equal(row.trusted, e.trusted, `${e.coin} trusted`);
        assert.equal(row.stale, e.stale, `${e.coin} stale`);
        assert.equal(row.history_rows, history.coins.rows.get(e.coin), `${e.coin} history rows`);
      }

      const pools = await db.query<Record<string, unknown>>(
        `SELECT p.*, (SELECT count(*)::int FROM pool_history h WHERE h.pool_key = p.pool_key) AS history_rows
         FROM pools p ORDER BY pool_key`,
      );
      assert.deepEqual(
        pools.map((p) => p.pool_key),
        expected.pools.map((p) => p.poolKey),
      );
      for (const e of expected.pools) {
        const row = pools.find((p) => p.pool_key === e.poolKey)!;
        close(row.fee_fraction, e.feeFraction, `${e.poolKey} fee_fraction`);
        close(row.hashrate_hs, e.hashrateHs, `${e.poolKey} hashrate_hs`);
        close(row.miners, e.miners, `${e.poolKey} miners`);
        close(row.workers, e.workers, `${e.poolKey} workers`);
        close(row.usd_per_hs_day, e.usdPerHsDay, `${e.poolKey} usd_per_hs_day`);
        assert.deepEqual([row.stale, row.healthy], [e.stale, !e.stale], `${e.poolKey} stale, healthy`);
        assert.equal(row.history_rows, history.pools.rows.get(e.poolKey), `${e.poolKey} history rows`);
      }

      const mining = await db.query<Record<string, unknown>>(
        `SELECT hardware || ' ' || algorithm AS key, * FROM hardware_mining ORDER BY hardware, algorithm`,
      );
      assert.deepEqual(
        mining.map((m) => m.key),
        expected.mining.map((m) => m.key),
      );
      for (const e of expected.mining) {
        const row = mining.find((m) => m.key === e.key)!;
        close(row.hashrate_hs, e.hashrateHs, `${e.key} hashrate_hs`);
        close(row.power_w, e.powerW, `${e.key} power_w`);
        assert.equal(row.best_coin, e.bestCoin, `${e.key} best_coin`);
        assert.equal(row.best_pool, e.bestPool, `${e.key} best_pool`);
        close(row.revenue_usd_per_day, e.revenueUsdPerDay, `${e.key} revenue_usd_per_day`);
        close(row.cost_usd_per_day, e.costUsdPerDay, `${e.key} cost_usd_per_day`);
        close(row.profit_usd_per_day, e.profitUsdPerDay, `${e.key} profit_usd_per_day`);
      }
    }

    async function cycle(at: Date): Promise<void> {
      clock = at;
      const report = await aggregator.runOnce();
      assert.deepEqual(
        report.runs.filter((r) => !r.ok).map((r) => `${r.source}: ${r.error}`),
        [],
      );
    }

    it('stores every value and history row of the moved market, Hashrate.no answering from its cache', async () => {
      // Hashrate.no is fetched once, at the first cycle; its 12 h cache answers the two later ones.
      const hashrateno: HashratenoAnswer = {
        fetchedAtMs: CYCLES[0]!.getTime(),
        coins: structuredClone(server.fixtures.get('hashrate_no/coins.json')) as HashratenoAnswer['coins'],
        benchmarks: structuredClone(
          server.fixtures.get('hashrate_no/benchmarks_RVN.json'),
        ) as HashratenoAnswer['benchmarks'],
      };

      await cycle(CYCLES[0]!);
      await checkStored(
        expectedMarket(server.fixtures, CYCLES[0]!.getTime(), hashrateno),
        CYCLES[0]!.getTime(),
      );
      const hashratenoCalls = server.requestCount('hashrateno');

      // The market moves: 20 minutes later ETC and XMR trade higher, KAS difficulty +25 %, RVN difficulty −20 %.
      shiftMarketTime(server, (CYCLES[1]!.getTime() - CYCLES[0]!.getTime()) / 1000);
      scaleCoinPrice(server, 'ETC', 1.1);
      scaleCoinPrice(server, 'XMR', 1.05);
      scaleCoinDifficulty(server, 'KAS', 1.25);
      scaleCoinDifficulty(server, 'RVN', 0.8);
      await cycle(CYCLES[1]!);
      await checkStored(
        expectedMarket(server.fixtures, CYCLES[1]!.getTime(), hashrateno),
        CYCLES[1]!.getTime(),
      );

      // Five quiet minutes: every source's clock moves on, no value does.
      shiftMarketTime(server, 5 * 60);
      await cycle(CYCLES[2]!);
      await checkStored(
        expectedMarket(server.fixtures, CYCLES[2]!.getTime(), hashrateno),
        CYCLES[2]!.getTime(),
      );
      assert.equal(server.requestCount('hashrateno'), hashratenoCalls, 'Hashrate.no answered from its cache');

      const kas = (
        await db.query<{ difficulty: number }>(`SELECT difficulty FROM coins WHERE coin = 'KAS'`)
      )[0]!;
      const wtmKas = (
        server.fixtures.get('whattomine/asic.json') as { coins: Record<string, { difficulty: number }> }
      ).coins.Kaspa!;
      assert.equal(kas.difficulty, wtmKas.difficulty, 'the cached old KAS difficulty did not vote');
    });
  });
}
