// Issue 7, item by item: each symptom seen on a moving market, reproduced with the replay server and the real
// collectors, must not come back.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '@smart-mining/api';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import {
  type ReplayServer,
  scaleCoinDifficulty,
  setQuoteVolume,
  shiftMarketTime,
  startReplayServer,
  waitFor,
} from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig } from './support.ts';

const T1 = new Date('2024-02-16T16:40:00Z');
const minutes = (m: number) => new Date(T1.getTime() + m * 60_000);

interface Rig {
  server: ReplayServer;
  db: Db;
  /** One cycle of a fresh aggregator process at `at` (a restart each time, as `aggregate --once`). */
  cycle(at: Date, fetch?: typeof globalThis.fetch): ReturnType<ReturnType<typeof buildAggregator>['runOnce']>;
  close(): Promise<void>;
}

const sourcesOf = async (db: Db, coin: string) =>
  (
    await db.query<{ sources: Record<string, { rejected?: object; from?: object }> }>(
      'SELECT sources FROM coins WHERE coin = $1',
      [coin],
    )
  )[0]!.sources;

for (const database of testDatabases()) {
  describe(`market truth, item by item, on ${database.name}`, () => {
    let rig: Rig;
    const open = async (): Promise<Rig> => {
      const server = await startReplayServer();
      const db = await database.open();
      return {
        server,
        db,
        cycle: (at, fetch) =>
          buildAggregator(replayConfig(server), db, silentLogger, {
            now: () => at,
            ...(fetch ? { fetch } : {}),
          }).runOnce(),
        close: async () => {
          await db.close();
          await server.close();
        },
      };
    };
    before(async () => {
      rig = await open();
    });
    after(() => rig?.close());

    it('1. history gets a row when values change under a cached data time, and the summary counts real rows', async () => {
      const { db, server } = rig;
      await rig.cycle(T1);
      // ERG's difficulty moves while no source's clock does: Hashrate.no's cached answer stays the newest input.
      scaleCoinDifficulty(server, 'ERG', 1.25);
      const rows = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM coin_history'))[0]!.n;
      const before = await rows();
      const report = await rig.cycle(minutes(5));
      const erg = await db.query<{ time: Date; difficulty: number }>(
        `SELECT time, difficulty FROM coin_history WHERE coin = 'ERG' ORDER BY time`,
      );
      assert.equal(erg.length, 2, 'the moved ERG got its history row');
      assert.equal(erg[1]!.time.getTime(), minutes(5).getTime(), 'keyed by the cycle');
      assert.equal(
        report.ingest?.coinHistory,
        (await rows()) - before,
        'the summary counts what was written',
      );
    });

    it('2. a cached answer older than the others by more than a cycle does not outvote them', async () => {
      const { db, server } = rig;
      // 20 minutes on, KAS difficulty +25 %: Hashrate.no still answers from its cache, Minerstat's KAS row is stale.
      shiftMarketTime(server, 20 * 60);
      scaleCoinDifficulty(server, 'KAS', 1.25);
      await rig.cycle(minutes(25));
      const wtm = (
        server.fixtures.get('whattomine/asic.json') as { coins: { Kaspa: { difficulty: number } } }
      ).coins.Kaspa.difficulty;
      const [kas] = await db.query<{ difficulty: number; trusted: boolean }>(
        `SELECT difficulty, trusted FROM coins WHERE coin = 'KAS'`,
      );
      assert.deepEqual(kas, { difficulty: wtm, trusted: true });
      const difficulty = (await sourcesOf(db, 'KAS')).difficulty!;
      assert.deepEqual(difficulty.rejected, { hashrateno: 'superseded', minerstat: 'stale' });
      const [ks3] = await db.query<{ best_coin: string }>(
        `SELECT best_coin FROM hardware_mining WHERE hardware = 'iceriver-ks3'`,
      );
      assert.equal(ks3!.best_coin, 'KAS', 'the KS3 keeps its best coin');
    });

    it('3. an empty answer fails the run and is never cached', async () => {
      const fresh = await open();
      try {
        const { server, db } = fresh;
        const coinsCalls = () =>
          server.requests.filter((r) => r.source === 'hashrateno' && r.path === '/coins').length;
        const emptied = async (path: string, at: Date) => {
          const original = server.fixtures.get(path);
          server.updateFixture(path, (body) => (Array.isArray(body) ? [] : {}));
          try {
            return await fresh.cycle(at);
          } finally {
            server.updateFixture(path, () => original);
          }
        };
        const sources = {
          hashrateno: 'hashrate_no/coins.json',
          coingecko: 'coingecko/coins_markets.json',
          minerstat: 'minerstat/coins.json',
        };
        for (const [source, path] of Object.entries(sources)) {
          const before = coinsCalls();
          const report = await emptied(path, T1);
          const run = report.runs.find((r) => r.source === source)!;
          assert.equal(run.ok, false, `${source} ran ok on an empty answer`);
          assert.match(run.error ?? '', /SM_SOURCE_EMPTY/);
          if (source !== 'hashrateno') continue;
          // The next run asks again (the empty answer was not cached) and gets the coins.
          const next = await fresh.cycle(minutes(1));
          assert.equal(coinsCalls(), before + 2);
          assert.equal(next.runs.find((r) => r.source === 'hashrateno')?.ok, true);
        }
        const [coins] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM coins`);
        assert.equal(coins!.n, 11);
      } finally {
        await fresh.close();
      }
    });

    it('4. staleness by the data’s clock: a day-old pool is stale, stale quotes are listed, and old estimates feed nothing', async () => {
      const fresh = await open();
      try {
        const { server, db } = fresh;
        shiftMarketTime(server, -86_400, ['2miners']);
        const report = await fresh.cycle(T1);
        const pools = await db.query<{ pool_key: string; stale: boolean; healthy: boolean }>(
          `SELECT pool_key, stale, healthy FROM pools WHERE pool = '2miners' ORDER BY pool_key`,
        );
        assert.deepEqual(pools, [
          { pool_key: '2miners:ETC', stale: true, healthy: false },
          { pool_key: '2miners:RVN', stale: true, healthy: false },
        ]);
        const twoMiners = report.runs.find((r) => r.source === '2miners')!;
        assert.match(twoMiners.error ?? '', /stale pool data, not used .*2miners:ETC 86628 s/);
        assert.equal(
          ((await sourcesOf(db, 'ETC')).difficulty!.rejected as Record<string, string>)['2miners'],
          'stale',
        );
      } finally {
        await fresh.close();
      }
      // A first cycle two years after the data: every quote is stale, so BTC has no price, and old estimates give
      // it no revenue figure either.
      const late = await open();
      try {
        await late.cycle(new Date('2026-02-16T16:40:00Z'));
        const [btc] = await late.db.query<{ price_usd: number | null; usd_per_hs_day: number | null }>(
          `SELECT price_usd, usd_per_hs_day FROM coins WHERE coin = 'BTC'`,
        );
        assert.deepEqual(btc, { price_usd: null, usd_per_hs_day: null });
      } finally {
        await late.close();
      }
    });

    it('5. a device earns the same on /v1/hardware as in the decision: net of the pool fee', async () => {
      const fresh = await open();
      const app = await buildApp({ db: fresh.db, now: () => T1 });
      try {
        await fresh.cycle(T1);
        // The API learns of the ingest from its event, which a server delivers just after the commit.
        const hardware = await waitFor(async () => {
          const res = await app.inject({ url: '/v1/hardware/nvidia-rtx-3080' });
          return res.statusCode === 200 && res;
        }, 'the API to see the ingested device');
        const device = hardware.json() as {
          mining: { algorithm: string; bestCoin: string; revenueUsdPerDay: number }[];
        };
        const kawpow = device.mining.find((m) => m.algorithm === 'kawpow')!;
        const decision = (
          await app.inject({ url: '/v1/decision?profile=max-usd-hashrate&hardware=nvidia-rtx-3080' })
        ).json() as { chosen: { target: string; coin: string; revenueUsdPerDay: number } };
        assert.equal(decision.chosen.coin, kawpow.bestCoin);
        assert.ok(
          Math.abs(decision.chosen.revenueUsdPerDay - kawpow.revenueUsdPerDay) < 1e-12,
          `hardware ${kawpow.revenueUsdPerDay} vs decision ${decision.chosen.revenueUsdPerDay}`,
        );
      } finally {
        await app.close();
        await fresh.close();
      }
    });

    it('6. a quote from a market without volume is not a price, whatever other markets trade', async () => {
      const fresh = await open();
      try {
        const { server, db } = fresh;
        setQuoteVolume(server, 'binance', 'ZEC', 0);
        server.updateFixture<{ symbol: string; lastPrice: string }[]>(
          'binance/ticker_24hr_symbols.json',
          (rows) => rows.map((r) => (r.symbol === 'ZECUSDT' ? { ...r, lastPrice: '23.3' } : r)),
        );
        await fresh.cycle(T1);
        const [zec] = await db.query<{ price_usd: number }>(`SELECT price_usd FROM coins WHERE coin = 'ZEC'`);
        assert.equal(zec!.price_usd, 22.63444437, 'CoinGecko’s price, not a mean with the empty market');
        assert.deepEqual((await sourcesOf(db, 'ZEC')).priceUsd!.rejected, { binance: 'thin-volume' });
      } finally {
        await fresh.close();
      }
    });

    it('7. a 404 on one Nanopool endpoint keeps what the others returned', async () => {
      const fresh = await open();
      try {
        const missing: typeof globalThis.fetch = (input, init) =>
          String(input).endsWith('/etc/network/avgblocktime')
            ? Promise.resolve(new Response('{"error":"Not found"}', { status: 404 }))
            : fetch(input, init);
        const report = await fresh.cycle(T1, missing);
        assert.match(
          report.runs.find((r) => r.source === 'nanopool')?.error ?? '',
          /ETC: blockTimeS left out/,
        );
        const etc = await sourcesOf(fresh.db, 'ETC');
        assert.equal((etc.priceUsd!.from as Record<string, number>).nanopool, 27.61);
        const pools = await fresh.db.query<{ pool_key: string }>(
          `SELECT pool_key FROM pools WHERE pool = 'nanopool'`,
        );
        assert.deepEqual(pools, [{ pool_key: 'nanopool:ETC' }]);
      } finally {
        await fresh.close();
      }
    });

    it('8. symbols Binance refused are remembered across restarts: one request per run', async () => {
      const fresh = await open();
      try {
        await fresh.cycle(T1);
        const before = fresh.server.requestCount('binance');
        await fresh.cycle(minutes(1));
        assert.equal(fresh.server.requestCount('binance') - before, 1);
      } finally {
        await fresh.close();
      }
    });
  });
}
