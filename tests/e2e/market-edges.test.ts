// Odd values in the sources' answers (figures no column holds, one source repeating a coin, numbers that overflow),
// through the replay server, the real collectors, the ingest and the API: what is stored must be what the other
// answers say, computed here from their raw numbers, and one odd figure must cost that figure alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { openRig, type Rig } from './market-rig.ts';

type Json = Record<string, unknown>;

/** Four minutes after the fixtures' snapshot (their data is dated 16:36:12). */
const T1 = new Date('2024-02-16T16:40:00Z');

/** The recorded LTC rows of Minerstat, Binance and CoinGecko, and WhatToMine's ASIC coins, as the server holds them. */
function ltcRows(server: Rig['server']) {
  const rows = (file: string) => server.fixtures.get(file) as Json[];
  return {
    minerstat: rows('minerstat/coins.json').find((r) => r.coin === 'LTC')!,
    binance: rows('binance/ticker_24hr_symbols.json').find((r) => r.symbol === 'LTCUSDT')!,
    coingecko: rows('coingecko/coins_markets.json').find((r) => r.id === 'litecoin')!,
    asic: (server.fixtures.get('whattomine/asic.json') as { coins: Record<string, Json> }).coins,
  };
}

async function withRig(database: ReturnType<typeof testDatabases>[number], run: (rig: Rig) => Promise<void>) {
  const rig = await openRig(database);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

interface ApiPool {
  poolKey: string;
  hashrateHs: number | null;
  miners: number | null;
  workers: number | null;
  blockHeight: number | null;
}

for (const database of testDatabases()) {
  describe(`odd values in the sources' answers, on ${database.name}`, () => {
    it('a pool headcount or block height no column holds costs that figure alone, not the cycle', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        // 2Miners' ETC stats: three billion miners, half a worker, a block height of 1e20 (all numbers the JSON
        // allows); Nanopool's ETC: a trillion workers. Everything else as recorded.
        server.updateFixture<Json & { nodes: Json[] }>('2miners/stats_etc.json', (stats) => {
          stats.minersTotal = 3e9;
          stats.workersTotal = 1.5;
          stats.nodes[0]!.height = '1e20';
          return stats;
        });
        server.updateFixture<Json>('nanopool/pool_activeworkers_etc.json', (body) => ({
          ...body,
          data: 1e12,
        }));
        const raw = (file: string) => server.fixtures.get(file) as Json & { nodes: Json[] };
        const nanopoolMiners = (raw('nanopool/pool_activeminers_etc.json').data as number) * 1;
        const rvn = raw('2miners/stats_rvn.json');
        const etcHashrate = raw('2miners/stats_etc.json').hashrate as number;
        const etcDifficulty = Number(raw('2miners/stats_etc.json').nodes[0]!.difficulty);

        await rig.cycle(T1);

        // The cycle was written: every priced coin is there, ETC's network figures among them.
        const [etc] = await db.query<{ difficulty: number; stale: boolean }>(
          `SELECT difficulty, stale FROM coins WHERE coin = 'ETC'`,
        );
        assert.deepEqual(etc, { difficulty: etcDifficulty, stale: false });
        const { pools } = await rig.read<{ pools: ApiPool[] }>(T1, '/v1/pools');
        const byKey = new Map(pools.map((p) => [p.poolKey, p]));
        const pick = (p: ApiPool | undefined) =>
          p && { hashrateHs: p.hashrateHs, miners: p.miners, workers: p.workers, blockHeight: p.blockHeight };
        assert.deepEqual(pick(byKey.get('2miners:ETC')), {
          hashrateHs: etcHashrate,
          miners: null,
          workers: null,
          blockHeight: null,
        });
        assert.deepEqual(pick(byKey.get('2miners:RVN')), {
          hashrateHs: rvn.hashrate,
          miners: rvn.minersTotal,
          workers: rvn.workersTotal,
          blockHeight: Number(rvn.nodes[0]!.height),
        });
        assert.equal(byKey.get('nanopool:ETC')?.miners, nanopoolMiners);
        assert.equal(byKey.get('nanopool:ETC')?.workers, null);
        const decision = await rig.decide(T1, 'algorithms=etchash&hashrateHs=100e6');
        assert.ok(decision.chosen, decision.reason);
      }));

    it('a source listing one coin several times votes once: its repeats cannot outvote the other sources', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        // Minerstat repeats its Litecoin row four times after the real one, each at ten times the price: five
        // Minerstat quotes beside Binance's, CoinGecko's and WhatToMine's.
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) => {
          const ltc = rows.find((r) => r.coin === 'LTC')!;
          const repeat = { ...ltc, price: Number(ltc.price) * 10 };
          return [...rows, repeat, repeat, repeat, repeat];
        });
        const { minerstat, binance, coingecko, asic } = ltcRows(server);
        // WhatToMine quotes Litecoin in BTC, and Bitcoin in USD (fixtures README §7).
        const whattomine = Number(asic.Litecoin!.exchange_rate) * Number(asic.Bitcoin!.exchange_rate);
        // Four sources, one quote each, all within 5 % of each other: the median of the four.
        const quotes = [
          Number(binance.lastPrice),
          Number(coingecko.current_price),
          Number(minerstat.price),
          whattomine,
        ];
        const sorted = [...quotes].sort((a, b) => a - b);
        const price = (sorted[1]! + sorted[2]!) / 2;
        // Difficulty route (fixtures README, cross-check): USD/day of 1 H/s = 86400 × reward × price / (D × 2^32).
        const usdPerHsDay =
          (86_400 * Number(minerstat.reward_block) * price) / (Number(minerstat.difficulty) * 2 ** 32);

        await rig.cycle(T1);
        const coin = await rig.read<{ priceUsd: number; usdPerHsDay: number; trusted: boolean }>(
          T1,
          '/v1/coins/LTC',
        );
        assert.ok(Math.abs(coin.priceUsd / price - 1) < 1e-9, `price ${coin.priceUsd}, expected ${price}`);
        assert.ok(
          Math.abs(coin.usdPerHsDay / usdPerHsDay - 1) < 1e-9,
          `${coin.usdPerHsDay} vs ${usdPerHsDay}`,
        );
        assert.equal(coin.trusted, true, 'four sources agree');
        const [row] = await db.query<{ sources: { priceUsd: { from: Json; rejected: Json } } }>(
          `SELECT sources FROM coins WHERE coin = 'LTC'`,
        );
        assert.equal(row!.sources.priceUsd.from.minerstat, Number(minerstat.price), 'Minerstat’s first row');
        assert.deepEqual(row!.sources.priceUsd.rejected, {});
      }));

    it('a numeric string beyond a double ("1e400") is as invalid as the JSON number: no infinite volume stored', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
          rows.map((r) => (r.coin === 'LTC' ? { ...r, volume: '1e400' } : r)),
        );
        const { binance, coingecko, asic } = ltcRows(server);
        // The deepest market left (README: market-wide volume); WhatToMine's volume is in BTC (fixtures README §7).
        const volume = Math.max(
          Number(binance.quoteVolume),
          Number(coingecko.total_volume),
          Number(asic.Litecoin!.exchange_rate_vol) * Number(asic.Bitcoin!.exchange_rate),
        );

        await rig.cycle(T1);
        const [row] = await db.query<{ volume: string; price_usd: number }>(
          `SELECT volume_24h_usd::text AS volume, price_usd FROM coins WHERE coin = 'LTC'`,
        );
        assert.equal(Number(row!.volume), volume, `stored ${row!.volume}`);
        const coin = await rig.read<{ volume24hUsd: number | null }>(T1, '/v1/coins/LTC');
        assert.equal(coin.volume24hUsd, volume);
      }));

    it('a last-block time in milliseconds is read as such, a negative one left out alone: the cycle and pools stand', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        // 2Miners' ETC host sends lastBlockFound in milliseconds (year 56097 read as seconds), its RVN host -5.
        const recorded = (file: string) =>
          (server.fixtures.get(file) as { stats: Json }).stats.lastBlockFound as number;
        const etcLastBlockS = recorded('2miners/stats_etc.json');
        server.updateFixture<{ stats: Json }>('2miners/stats_etc.json', (stats) => {
          stats.stats.lastBlockFound = etcLastBlockS * 1000;
          return stats;
        });
        server.updateFixture<{ stats: Json }>('2miners/stats_rvn.json', (stats) => {
          stats.stats.lastBlockFound = -5;
          return stats;
        });
        const raw = (file: string) => server.fixtures.get(file) as Json & { nodes: Json[] };

        await rig.cycle(T1);
        const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM coins`)) as [
          { n: number },
        ];
        assert.ok(n > 0, 'the cycle was written');
        const { pools } = await rig.read<{ pools: (ApiPool & { lastBlockAt: string | null })[] }>(
          T1,
          '/v1/pools',
        );
        const byKey = new Map(pools.map((p) => [p.poolKey, p]));
        const lastBlockAt = { etc: new Date(etcLastBlockS * 1000).toISOString(), rvn: null };
        for (const coin of ['etc', 'rvn'] as const) {
          const pool = byKey.get(`2miners:${coin.toUpperCase()}`);
          assert.deepEqual(
            pool && { hashrateHs: pool.hashrateHs, miners: pool.miners, lastBlockAt: pool.lastBlockAt },
            {
              hashrateHs: raw(`2miners/stats_${coin}.json`).hashrate,
              miners: raw(`2miners/stats_${coin}.json`).minersTotal,
              lastBlockAt: lastBlockAt[coin],
            },
            coin,
          );
        }
        const [rvn] = await db.query<{ difficulty: number }>(
          `SELECT difficulty FROM coins WHERE coin = 'RVN'`,
        );
        assert.ok(rvn, 'RVN is there');
      }));

    it('a time sent in milliseconds where seconds are documented keeps its age: an old quote stays old', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        // WhatToMine dates its Litecoin entry in milliseconds, 20 minutes before the cycle, and quotes it 4 % higher
        // (an old price: past the 15-minute limit); Minerstat dates its Litecoin row in milliseconds too (16:35:12).
        const wtmAtMs = T1.getTime() - 20 * 60_000;
        server.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
          const ltc = body.coins.Litecoin!;
          ltc.timestamp = wtmAtMs;
          ltc.exchange_rate = Number(ltc.exchange_rate) * 1.04;
          return body;
        });
        const { minerstat, binance, coingecko } = ltcRows(server);
        const minerstatAtMs = Number(minerstat.updated) * 1000;
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
          rows.map((r) => (r.coin === 'LTC' ? { ...r, updated: minerstatAtMs } : r)),
        );
        // The three current quotes agree (within 5 %): their median.
        const price = [
          Number(binance.lastPrice),
          Number(coingecko.current_price),
          Number(minerstat.price),
        ].sort((a, b) => a - b)[1]!;

        await rig.cycle(T1);
        const [ltc] = await db.query<{
          price_usd: number;
          network_updated_at: Date;
          sources: { priceUsd: { rejected: Json } };
        }>(`SELECT price_usd, network_updated_at, sources FROM coins WHERE coin = 'LTC'`);
        assert.equal(ltc!.price_usd, price);
        assert.equal(ltc!.sources.priceUsd.rejected.whattomine, 'stale');
        // LTC's network figures come from Minerstat (16:35:12) and WhatToMine (16:20), within their 30-minute limit;
        // the agreed ones are as new as Minerstat's, not the fetch time.
        assert.equal(ltc!.network_updated_at.getTime(), minerstatAtMs);
      }));

    it('a NUL in a source’s text (a device name, an entry name quoted in a warning) costs nothing', () =>
      withRig(database, async (rig) => {
        const { server, db } = rig;
        // PostgreSQL text holds no NUL. Minerstat names the RTX 3080 with one; WhatToMine lists a coin we do not
        // track under a name with one (the run's warning quotes it).
        server.updateFixture<Json[]>('minerstat/hardware.json', (devices) =>
          devices.map((d) => (d.url === 'nvidia-rtx-3080' ? { ...d, name: 'Nvidia RTX\u00003080' } : d)),
        );
        server.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
          body.coins['Bogus\u0000coin'] = { ...body.coins.Litecoin!, id: 999_999, tag: 'BOGUS' };
          return body;
        });

        const report = await rig.cycle(T1);
        assert.deepEqual(
          report.runs.filter((r) => !r.ok).map((r) => r.source),
          [],
        );
        const device = await rig.read<{ name: string }>(T1, '/v1/hardware/nvidia-rtx-3080');
        assert.equal(device.name, 'Nvidia RTX3080', 'the control character left out');
        const [run] = await db.query<{ error: string }>(
          `SELECT error FROM source_runs WHERE source = 'whattomine' ORDER BY id DESC LIMIT 1`,
        );
        assert.match(run!.error, /Bogus\uFFFDcoin/);
        const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM coins`)) as [
          { n: number },
        ];
        assert.ok(n > 0, 'the cycle was written');
      }));
  });
}
