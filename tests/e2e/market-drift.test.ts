// Markets the recording never showed, through the replay server, the real collectors, the ingest and the API: what
// is stored and decided must follow the moved inputs, computed here by the fixtures README's units and formulas.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { type ReplayServer, scaleCoinPrice, shiftMarketTime } from '@smart-mining/testkit';
import { openRig, type Rig } from './market-rig.ts';

type Json = Record<string, unknown>;

/** Four minutes after the fixtures' snapshot (their data is dated 16:36:12). */
const T1 = new Date('2024-02-16T16:40:00Z');
const minutes = (m: number) => new Date(T1.getTime() + m * 60_000);
/** README, Configuration: network data older than 30 min is stale. */
const NETWORK_STALE_S = 1800;

/** Drops every network figure of `coin` from the sources that report them (the coin leaves their lists). */
function dropNetworkSources(server: ReplayServer, coin: string): void {
  server.updateFixture<Json[]>('minerstat/coins.json', (rows) => rows.filter((r) => r.coin !== coin));
  for (const file of ['whattomine/coins.json', 'whattomine/asic.json'])
    server.updateFixture<{ coins: Record<string, Json> }>(file, (body) => {
      for (const [name, entry] of Object.entries(body.coins)) if (entry.tag === coin) delete body.coins[name];
      return body;
    });
  server.updateFixture<Json>('hashrate_no/coins.json', (all) => {
    delete all[coin];
    return all;
  });
  // 2Miners' host for the coin answers 404 from now on.
  server.fixtures.delete(`2miners/stats_${coin.toLowerCase()}.json`);
}

for (const database of testDatabases()) {
  describe(`a market the recording never showed, on ${database.name}`, () => {
    let rig: Rig;
    before(async () => {
      rig = await openRig(database);
    });
    after(() => rig?.close());

    it('a coin whose network data left every source goes stale and stops winning, though its price and block time keep coming', async () => {
      const { server, db } = rig;
      await rig.cycle(T1);
      const first = await rig.decide(T1, 'algorithms=etchash&hashrateHs=100e6');
      assert.equal(first.chosen?.coin, 'ETC', 'ETC is the one etchash coin');

      // ETC leaves Minerstat, WhatToMine, Hashrate.no and 2Miners; the exchanges and Nanopool (price, block time,
      // its pool) still answer, their clocks moving on. Nobody reports ETC's difficulty any more.
      const rewardAt =
        Math.max(
          Number(
            (server.fixtures.get('minerstat/coins.json') as Json[]).find((r) => r.coin === 'ETC')!.updated,
          ),
          Number(
            (server.fixtures.get('whattomine/coins.json') as { coins: Record<string, Json> }).coins
              .EthereumClassic!.timestamp,
          ),
        ) * 1000;
      dropNetworkSources(server, 'ETC');
      const later = minutes(40);
      shiftMarketTime(server, (later.getTime() - T1.getTime()) / 1000, ['binance', 'coingecko']);
      await rig.cycle(minutes(20));
      await rig.cycle(later);

      // The value rests on difficulty and block reward (README: the difficulty route). Their last quotes: the
      // difficulty from Hashrate.no, fetched at T1 (it states no time of its own); the block reward from Minerstat
      // (`updated`) and WhatToMine (`timestamp`), the newer being Minerstat's. The network data is as old as the
      // older of the two, and by `later` past its limit.
      const networkAt = Math.min(T1.getTime(), rewardAt);
      assert.ok((later.getTime() - networkAt) / 1000 > NETWORK_STALE_S);
      const [etc] = await db.query<{ difficulty: number; stale: boolean; network_updated_at: Date }>(
        `SELECT difficulty, stale, network_updated_at FROM coins WHERE coin = 'ETC'`,
      );
      assert.equal(etc!.difficulty, 2.2532e15, 'the last difficulty any source gave');
      assert.equal(etc!.network_updated_at.getTime(), networkAt, 'network data as old as its last figures');
      assert.equal(etc!.stale, true, 'ETC would be valued on a 40-minute-old difficulty');

      const [device] = await db.query<{ best_coin: string | null }>(
        `SELECT best_coin FROM hardware_mining WHERE hardware = 'nvidia-rtx-3080' AND algorithm = 'etchash'`,
      );
      assert.equal(device!.best_coin, null, 'no fresh etchash target is left');
      const decision = await rig.decide(later, 'algorithms=etchash&hashrateHs=100e6');
      assert.equal(decision.chosen, null, `chosen ${decision.chosen?.poolKey}: ${decision.reason}`);
    });

    it('a pool whose own data is older than the profile allows is not chosen, though its row is rewritten every cycle', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        // 2Miners' API answers, but with data 20 minutes behind (a stuck stats host): over the profiles' default
        // data age (900 s), under the pools' staleness limit (1800 s).
        shiftMarketTime(server, -20 * 60, ['2miners']);
        await fresh.cycle(T1);
        const statsAt = (server.fixtures.get('2miners/stats_rvn.json') as { now: number }).now;
        const ageS = (T1.getTime() - statsAt) / 1000;
        assert.ok(ageS > 900 && ageS < 1800, `${ageS}`);
        const [pool] = await db.query<{ stale: boolean; observed_at: Date }>(
          `SELECT stale, observed_at FROM pools WHERE pool_key = '2miners:RVN'`,
        );
        assert.deepEqual(pool, { stale: false, observed_at: new Date(statsAt) });

        // RVN's only pool is 2Miners': no kawpow target is recent enough.
        const decision = await fresh.decide(T1, 'algorithms=kawpow&hashrateHs=30e6');
        assert.equal(decision.chosen, null, `chosen ${decision.chosen?.poolKey}: ${decision.reason}`);
        // ETC keeps Nanopool's pool, fetched now: the one etchash target left.
        const etc = await fresh.decide(T1, 'algorithms=etchash&hashrateHs=100e6');
        assert.equal(etc.chosen?.poolKey, 'nanopool:ETC');
      } finally {
        await fresh.close();
      }
    });

    it('a Zcash row appearing in Minerstat is valued per Sol/s as Minerstat itself values it (Equihash difficulty)', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        // Minerstat is asked for every coin we track; the recording holds no ZEC coin row, a live answer does. Its
        // figures follow the recorded "2MINERS ZEC" row (reward per Sol/s per hour, price) and Zcash's rules: 2.5 ZEC
        // to the miner per block, a block every 75 s, and a difficulty relative to the Equihash proof-of-work limit
        // (0x0007ffff…: 2^13 expected solutions per unit of difficulty).
        const reward = 9.8244639085816e-9;
        const price = 22.6344443724;
        const blockReward = 2.5;
        const blockTimeS = 75;
        const nethash = (blockReward * (3600 / blockTimeS)) / reward;
        const difficulty = (nethash * blockTimeS) / 2 ** 13;
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) => [
          ...rows,
          {
            id: 'zec',
            coin: 'ZEC',
            name: 'Zcash',
            type: 'coin',
            algorithm: 'Equihash',
            network_hashrate: nethash,
            difficulty,
            reward,
            reward_unit: 'ZEC',
            reward_block: blockReward,
            price,
            volume: 31_000_000,
            updated: 1708101312,
          },
        ]);
        await fresh.cycle(T1);

        // Fixtures README §4: coins a day = reward × h × 24; and by network hashrate, h / nethash × blocks a day ×
        // block reward. Both in USD at the agreed price.
        const [zec] = await db.query<{ price_usd: number; usd_per_hs_day: number; trusted: boolean }>(
          `SELECT price_usd, usd_per_hs_day, trusted FROM coins WHERE coin = 'ZEC'`,
        );
        const byReward = reward * 24 * zec!.price_usd;
        const byNethash = (86_400 / blockTimeS / nethash) * blockReward * zec!.price_usd;
        assert.ok(Math.abs(byReward / byNethash - 1) < 1e-9);
        assert.ok(
          Math.abs(zec!.usd_per_hs_day / byReward - 1) < 1e-6,
          `stored ${zec!.usd_per_hs_day} USD per Sol/s a day, Minerstat's own figure ${byReward}`,
        );

        // A 420 kSol/s Zcash miner earns about 2.2 USD a day, not thousands (no ZEC pool answered: the coin alone).
        const ranking = await fresh.read<{ ranking: { target: string; revenueUsdPerDay: number }[] }>(
          T1,
          '/v1/ranking?algorithms=equihash200_9&hashrateHs=420e3',
        );
        const entry = ranking.ranking.find((e) => e.target === 'ZEC');
        assert.ok(entry, JSON.stringify(ranking));
        const expected = 420e3 * byReward;
        assert.ok(
          Math.abs(entry.revenueUsdPerDay / expected - 1) < 1e-6,
          `${entry.revenueUsdPerDay} vs ${expected}`,
        );
      } finally {
        await fresh.close();
      }
    });

    it('a contested difficulty stays untrusted when, next cycle, no source quotes it at all', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        // WhatToMine's Litecoin entry doubles its difficulty (and halves its own estimate to match); Minerstat keeps
        // the recorded one. Two sources, no majority, and their estimates disagree too: nothing settles it.
        server.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
          const ltc = body.coins.Litecoin!;
          ltc.difficulty = Number(ltc.difficulty) * 2;
          ltc.nethash = Number(ltc.nethash) * 2;
          ltc.estimated_rewards = String(Number(ltc.estimated_rewards) / 2);
          ltc.btc_revenue = String(Number(ltc.btc_revenue) / 2);
          return body;
        });
        await fresh.cycle(T1);
        const ltc = async () =>
          (
            await db.query<{ difficulty: number; trusted: boolean; stale: boolean }>(
              `SELECT difficulty, trusted, stale FROM coins WHERE coin = 'LTC'`,
            )
          )[0]!;
        const contested = await ltc();
        assert.equal(contested.trusted, false, 'a contest no evidence settles is not trusted');

        // Five minutes on, both network sources fail; the exchanges still price LTC. The stored difficulty is the
        // contested one: nothing new vouches for it.
        server.inject('minerstat', { kind: 'status', status: 500 });
        server.inject('whattomine', { kind: 'garbage' });
        await fresh.cycle(minutes(5));
        const after = await ltc();
        assert.deepEqual(after, { ...contested, stale: false }, 'the same contested figures, still fresh');
        assert.equal(after.trusted, false);
      } finally {
        await fresh.close();
      }
    });

    it('a coin valued on a source’s estimate goes stale when the estimate stops, though its network figures keep coming', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        // Zcash as 2Miners and Nanopool serve it live (the recording has neither): 2Miners' stats give difficulty,
        // network hashrate and block time but no block reward, so ZEC's value is Nanopool's estimate. Figures as in
        // the Equihash test above (recorded "2MINERS ZEC" row: 9.8244639085816e-9 ZEC per Sol/s per hour).
        const perSolDay = 9.8244639085816e-9 * 24;
        const price = 22.6344443724;
        const nethash = (2.5 * 48) / 9.8244639085816e-9;
        const stats = structuredClone(server.fixtures.get('2miners/stats_etc.json')) as Json & {
          nodes: Json[];
        };
        stats.nodes[0] = {
          ...stats.nodes[0],
          difficulty: String((nethash * 75) / 2 ** 13),
          networkhashps: String(nethash),
          avgBlockTime: '75',
        };
        server.fixtures.set('2miners/stats_zec.json', stats);
        const earnings = { status: true, data: { day: {}, prices: { price_usd: price } } as Json };
        for (const [period, days] of Object.entries({
          minute: 1 / 1440,
          hour: 1 / 24,
          day: 1,
          week: 7,
          month: 30,
        }))
          earnings.data[period] = {
            coins: 1000 * perSolDay * days,
            dollars: 1000 * perSolDay * days * price,
          };
        let nanopoolZec = true;
        const withZec: typeof globalThis.fetch = (input, init) =>
          /\/nanopool\/zec\/approximated_earnings\/1000$/.test(String(input))
            ? Promise.resolve(
                nanopoolZec
                  ? Response.json(earnings)
                  : Response.json({ status: false, error: 'Service unavailable' }, { status: 503 }),
              )
            : server.fetch(input, init);

        await fresh.cycle(T1, withZec);
        const zec = async () =>
          (
            await db.query<{
              usd_per_hs_day: number;
              stale: boolean;
              sources: { usdPerHsDay: { method: string } };
            }>(`SELECT usd_per_hs_day, stale, sources FROM coins WHERE coin = 'ZEC'`)
          )[0]!;
        const valued = await zec();
        assert.equal(valued.sources.usdPerHsDay.method, 'source-estimates');
        assert.ok(
          Math.abs(valued.usd_per_hs_day / (perSolDay * price) - 1) < 1e-6,
          `${valued.usd_per_hs_day}`,
        );
        assert.equal(valued.stale, false);

        // 40 minutes on, Nanopool's ZEC earnings fail; 2Miners and the exchanges answer with fresh data. Nothing
        // values a Sol/s of ZEC now: the stored value is 40 minutes old, past the 30-minute network limit.
        nanopoolZec = false;
        const later = minutes(40);
        shiftMarketTime(server, (later.getTime() - T1.getTime()) / 1000, ['binance', 'coingecko', '2miners']);
        await fresh.cycle(later, withZec);
        const after = await zec();
        assert.equal(after.usd_per_hs_day, valued.usd_per_hs_day, 'the last estimate is all there is');
        assert.equal(after.stale, true, 'valued on a 40-minute-old estimate');
        const decision = await fresh.decide(later, 'algorithms=equihash200_9&hashrateHs=420e3');
        assert.equal(decision.chosen, null, `chosen ${decision.chosen?.poolKey}: ${decision.reason}`);
      } finally {
        await fresh.close();
      }
    });

    it('two cycles, the market moving between them: LTC halves, BTC ×10 everywhere, DOGE ×10 on Binance alone', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        type Row = {
          coin: string;
          price_usd: number;
          block_reward: number;
          usd_per_hs_day: number;
          trusted: boolean;
        };
        const coins = async () =>
          new Map(
            (
              await db.query<Row>(
                `SELECT coin, price_usd, block_reward, usd_per_hs_day, trusted FROM coins ORDER BY coin`,
              )
            ).map((r) => [r.coin, r]),
          );
        const historyRows = async () =>
          new Map(
            (
              await db.query<{ coin: string; n: number }>(
                'SELECT coin, count(*)::int AS n FROM coin_history GROUP BY coin',
              )
            ).map((r) => [r.coin, r.n]),
          );
        /** The values a history row holds (README: a row whenever any of them changes). */
        const historyValues = async () =>
          new Map(
            (
              await db.query<{ coin: string; v: string }>(
                `SELECT coin, concat_ws('|', price_usd, volume_24h_usd, difficulty, network_hashrate_hs, block_reward,
                   block_time_s, usd_per_hs_day, trusted) AS v FROM coins`,
              )
            ).map((r) => [r.coin, r.v]),
          );
        await fresh.cycle(T1);
        const before = await coins();
        const historyBefore = await historyRows();
        const valuesBefore = await historyValues();

        // Litecoin's halving (6.25 → 3.125 LTC a block), as every source reports it: the block reward, and what a
        // hash earns in coins (Minerstat's reward per H/s per hour, WhatToMine's estimate).
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
          rows.map((r) =>
            r.coin === 'LTC'
              ? { ...r, reward_block: Number(r.reward_block) / 2, reward: Number(r.reward) / 2 }
              : r,
          ),
        );
        server.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
          const ltc = body.coins.Litecoin!;
          for (const f of ['block_reward', 'block_reward24']) ltc[f] = Number(ltc[f]) / 2;
          for (const f of ['estimated_rewards', 'btc_revenue']) ltc[f] = String(Number(ltc[f]) / 2);
          return body;
        });
        scaleCoinPrice(server, 'BTC', 10);
        server.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
          rows.map((r) =>
            r.symbol === 'DOGEUSDT' ? { ...r, lastPrice: String(Number(r.lastPrice) * 10) } : r,
          ),
        );
        // Three minutes on: every source's data as recorded, no clock moved (all still within their limits).
        await fresh.cycle(minutes(3));
        const after = await coins();
        const historyAfter = await historyRows();
        const valuesAfter = await historyValues();

        const ratio = (coin: string, field: keyof Row) =>
          (after.get(coin)![field] as number) / (before.get(coin)![field] as number);
        const near = (actual: number, expected: number, what: string) =>
          assert.ok(Math.abs(actual / expected - 1) < 1e-9, `${what}: ×${actual}, expected ×${expected}`);
        near(ratio('LTC', 'block_reward'), 0.5, 'LTC block reward');
        near(ratio('LTC', 'usd_per_hs_day'), 0.5, 'LTC usd_per_hs_day');
        near(ratio('BTC', 'price_usd'), 10, 'BTC price');
        near(ratio('BTC', 'usd_per_hs_day'), 10, 'BTC usd_per_hs_day');
        near(ratio('DOGE', 'price_usd'), 1, 'DOGE price: one exchange alone does not move it');
        for (const coin of ['LTC', 'BTC', 'DOGE', 'ETC', 'KAS'])
          assert.equal(after.get(coin)!.trusted, true, `${coin} trusted`);
        const [doge] = await db.query<{ sources: { priceUsd: { rejected: Json } } }>(
          `SELECT sources FROM coins WHERE coin = 'DOGE'`,
        );
        assert.equal(doge!.sources.priceUsd.rejected.binance, 'disagrees');
        // Every other coin is quoted in BTC by WhatToMine: their USD prices must not move with BTC's.
        for (const coin of ['ETC', 'RVN', 'KAS', 'ERG', 'XMR', 'ZEC'])
          near(ratio(coin, 'price_usd'), 1, `${coin} price`);

        // History: a new row for each coin whose values changed (LTC and BTC at least; a coin WhatToMine quotes in
        // BTC may move by a rounding), none for the others (the heartbeat is 600 s away).
        for (const [coin, n] of historyAfter) {
          const changed =
            historyBefore.get(coin) !== undefined && valuesAfter.get(coin) !== valuesBefore.get(coin);
          assert.equal(n - (historyBefore.get(coin) ?? 0), changed ? 1 : 0, `${coin} history rows`);
        }
        for (const coin of ['LTC', 'BTC']) assert.notEqual(valuesAfter.get(coin), valuesBefore.get(coin));
        const [ltcHistory] = await db.query<{ block_reward: number }>(
          `SELECT block_reward FROM coin_history WHERE coin = 'LTC' ORDER BY time DESC LIMIT 1`,
        );
        assert.equal(ltcHistory!.block_reward, after.get('LTC')!.block_reward);
      } finally {
        await fresh.close();
      }
    });

    it('a coin that leaves every source keeps its last row, goes stale by its data’s clock and stops winning', async () => {
      const fresh = await openRig(database);
      try {
        const { server, db } = fresh;
        await fresh.cycle(T1);
        const scrypt = async () =>
          new Map(
            (
              await db.query<{ coin: string; usd_per_hs_day: number; stale: boolean }>(
                `SELECT coin, usd_per_hs_day, stale FROM coins WHERE coin IN ('DOGE', 'LTC')`,
              )
            ).map((r) => [r.coin, r]),
          );
        const l7 = async () =>
          (
            await db.query<{ best_coin: string | null }>(
              `SELECT best_coin FROM hardware_mining WHERE hardware = 'antminer-l7-9-5gh'`,
            )
          )[0]!.best_coin;
        const first = await scrypt();
        assert.ok(first.get('DOGE')!.usd_per_hs_day > first.get('LTC')!.usd_per_hs_day, 'DOGE pays more');
        assert.equal(await l7(), 'DOGE');

        // DOGE is delisted everywhere: Binance refuses the symbol, the others drop their rows.
        server.updateFixture<Json[]>('binance/ticker_24hr_symbols.json', (rows) =>
          rows.filter((r) => r.symbol !== 'DOGEUSDT'),
        );
        server.updateFixture<Json[]>('coingecko/coins_markets.json', (rows) =>
          rows.filter((r) => r.id !== 'dogecoin'),
        );
        server.updateFixture<Json[]>('minerstat/coins.json', (rows) => rows.filter((r) => r.coin !== 'DOGE'));
        server.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
          delete body.coins.Dogecoin;
          return body;
        });
        // Ten minutes on (every other source's clock with it): DOGE's last data, dated 16:36:12, is 13.8 min old,
        // under the 15-minute price limit, so it still stands.
        shiftMarketTime(server, 10 * 60);
        await fresh.cycle(minutes(10));
        assert.equal((await scrypt()).get('DOGE')!.stale, false);
        // Twenty minutes on: 23.8 min, past the price limit. The row stays (same values), stale; LTC leads scrypt.
        shiftMarketTime(server, 10 * 60);
        await fresh.cycle(minutes(20));
        const last = await scrypt();
        assert.deepEqual(last.get('DOGE'), { ...first.get('DOGE')!, stale: true });
        assert.equal(last.get('LTC')!.stale, false);
        assert.equal(await l7(), 'LTC');
        // History: the first row, a heartbeat at +10 min (fresh, unchanged, 600 s on), none once stale.
        const [rows] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM coin_history WHERE coin = 'DOGE'`,
        );
        assert.equal(rows!.n, 2);
      } finally {
        await fresh.close();
      }
    });
  });
}
