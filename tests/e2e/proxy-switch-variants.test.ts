// Variants of the whole-system switch (replayed market → aggregator → API → proxy → simulated pools) beyond
// proxy-mining.test.ts: a chosen pool the proxy cannot reach; every kind of miner moved to a pool with less
// extranonce2 room (set_extranonce, client.reconnect), per-miner and shared; the mined coin's price gone from every
// source; a move below the threshold, and one back within the dwell; two profiles with different thresholds.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseOf } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import { setPath } from '@smart-mining/platform';
import { type ReplayServer, type SimMiner, waitFor } from '@smart-mining/testkit';
import type { ProxySummary } from '../../apps/proxy/src/stats/summary.ts';
import {
  ADMIN_TOKEN,
  acceptedOn,
  assertSharesAcceptedByTheirPools,
  type ProxyStack,
  startProxyStack,
} from './proxy-stack.ts';

type RouteSummary = ProxySummary['routes'][number];

type Switches = ResponseOf<'switches'>;

const switchesOf = async (s: ProxyStack, proxy: string) =>
  (await s.get<Switches>(`/v1/switches?proxy=${proxy}`)).switches;

for (const [database, upstreamMode] of testDatabases().flatMap((d) =>
  (['shared', 'per-miner'] as const).map((mode) => [d, mode] as const),
)) {
  describe(`the decision chooses a pool the proxy cannot reach, ${upstreamMode} upstreams (${database.name})`, () => {
    let s: ProxyStack;
    let miners: SimMiner[];
    const ids = new Map([
      ['c0c0', 'simltc:LTC'],
      ['d0d2', 'simdogeb:DOGE'],
    ]);

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'scrypt',
        pools: [
          { key: 'simltc:LTC', feeFraction: 0.01, id: 'c0c0' },
          // Two DOGE pools: the cheaper one is declared where nothing listens.
          { key: 'simdogea:DOGE', feeFraction: 0.01, id: 'd0d1', unreachable: true },
          { key: 'simdogeb:DOGE', feeFraction: 0.02, id: 'd0d2' },
        ],
        profile: { name: 'e2e', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } },
        market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.1 } }),
        fallbackPool: 'simltc:LTC',
        upstreamMode,
      });
      miners = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.rig${i + 1}`, password: 'p=e2e', profile }),
        ),
      );
      await waitFor(() => miners.every((m) => acceptedOn(m, 'c0c0') >= 2), { what: 'shares on LTC' });
    });
    after(() => s?.close());

    it('miners go to the next ranked target and stay connected; the failure and the switch are visible', async () => {
      // DOGE at 0.4 of its recorded price pays more than LTC; the 1 % DOGE pool ranks first, and cannot be reached.
      s.replay.setMarket({ DOGE: { priceFactor: 0.4 } });
      await s.cycle();
      // The API reloads its market snapshot on the ingest's event: the decision follows a moment after the cycle.
      await waitFor(
        async () => {
          const decision = await s.get<ResponseOf<'decision'>>(
            '/v1/decision?profile=e2e&algorithms=scrypt&hashrateHs=1e6',
          );
          return decision.chosen?.poolKey === 'simdogea:DOGE';
        },
        { what: 'the decision for the unreachable DOGE pool', intervalMs: 100 },
      );

      await waitFor(() => miners.every((m) => acceptedOn(m, 'd0d2') >= 2), { what: 'shares on DOGE b' });
      for (const m of miners) {
        assert.equal(m.reconnects.length, 0, `${m.profile.name} reconnected`);
        assert.equal(m.state, 'mining');
      }
      assertSharesAcceptedByTheirPools(s, miners, ids);

      const summary = s.proxy.proxy.summary();
      assert.equal(summary.routes[0]?.target, 'simdogeb:DOGE');
      const dead = summary.pools.find((p) => p.poolKey === 'simdogea:DOGE');
      assert.ok(dead?.down, `the unreachable pool is shown down: ${JSON.stringify(summary.pools)}`);

      const switches = await waitFor(
        async () => {
          const all = await switchesOf(s, 'e2e-scrypt');
          return all.some((w) => w.toPoolKey === 'simdogeb:DOGE') ? all : undefined;
        },
        { what: 'the switch to DOGE b in GET /v1/switches' },
      );
      // Every switch logged moved miners somewhere they mined: none to the pool nobody could reach.
      assert.deepEqual(
        switches.map((w) => [w.fromPoolKey, w.toPoolKey, w.miners]),
        [['simltc:LTC', 'simdogeb:DOGE', miners.length]],
      );
      assert.match(switches[0]!.reason, /simdogea:DOGE is down/);
    });
  });
}

for (const [database, upstreamMode] of testDatabases().flatMap((d) =>
  (['per-miner', 'shared'] as const).map((mode) => [d, mode] as const),
)) {
  describe(`${upstreamMode} upstreams, miners of every kind, a pool with less extranonce2 room (${database.name})`, () => {
    let s: ProxyStack;
    let miners: SimMiner[];
    const ids = new Map([
      ['b1a0', 'simbtca:BTC'],
      ['b1b0', 'simbtcb:BTC'],
    ]);
    const PROFILES = ['bitaxe', 'antminer', 'cpuminer-opt', 'cgminer', 'nerdminer'] as const;

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'sha256d',
        upstreamMode,
        pools: [
          { key: 'simbtca:BTC', feeFraction: 0.01, id: 'b1a0' },
          // extranonce2_size 3: the miner's 3 bytes after the proxy's 1-byte prefix do not fit there; 2 do.
          { key: 'simbtcb:BTC', feeFraction: 0.03, id: 'b1b0', extranonce2Size: 3 },
        ],
        profile: { name: 'e2e', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } },
      });
      miners = await Promise.all(
        PROFILES.map((profile, i) => s.miner({ username: `acct.m${i + 1}`, password: 'p=e2e', profile })),
      );
      await waitFor(() => miners.every((m) => acceptedOn(m, 'b1a0') >= 2), { what: 'shares on A' });
    });
    after(() => s?.close());

    it('each miner is moved the way it can be, ends on the other pool with every share accepted; the method logged', async () => {
      const minerSize = (m: SimMiner) => m.shares.at(-1)!.extranonce2.length / 2;
      assert.deepEqual(miners.map(minerSize), [3, 3, 3, 3, 3]);
      // A at 10 %: B (3 %) pays 0.97 / 0.9 − 1 = 7.8 % more, beyond the 5 % threshold.
      await s.setPoolFee('simbtca:BTC', 0.1);
      const [bitaxe, antminer, opt, cgminer, nerd] = miners as [
        SimMiner,
        SimMiner,
        SimMiner,
        SimMiner,
        SimMiner,
      ];
      // NerdMiner ignores client.reconnect: the proxy closes it, and its firmware dials the same line again.
      await waitFor(() => nerd.state === 'closed', { what: 'the NerdMiner closed' });
      const redialed = await s.miner({ username: 'acct.m5', password: 'p=e2e', profile: 'nerdminer' });
      const ending = [bitaxe, antminer, opt, cgminer, redialed];
      await waitFor(() => ending.every((m) => acceptedOn(m, 'b1b0') >= 2), { what: 'shares on B' });

      // cpuminer-opt takes set_extranonce on its connection; the others follow client.reconnect once.
      assert.deepEqual(
        ending.map((m) => [m.profile.name, m.reconnects.length, m.state]),
        [
          ['bitaxe', 1, 'mining'],
          ['antminer', 1, 'mining'],
          ['cpuminer-opt', 0, 'mining'],
          ['cgminer', 1, 'mining'],
          ['nerdminer', 0, 'mining'],
        ],
      );
      // On B each mines 2 bytes of extranonce2: B's 3 less the proxy's 1-byte prefix.
      assert.deepEqual(ending.map(minerSize), [2, 2, 2, 2, 2]);
      assertSharesAcceptedByTheirPools(s, [...miners, redialed], ids);

      const switches = await waitFor(
        async () => {
          const all = await switchesOf(s, 'e2e-sha256d');
          return all.some((w) => w.toPoolKey === 'simbtcb:BTC') ? all : undefined;
        },
        { what: 'the switch in GET /v1/switches' },
      );
      // One switch of the five miners, logged with the strongest method any of them needed.
      assert.deepEqual(
        switches.map((w) => [w.fromPoolKey, w.toPoolKey, w.method, w.miners]),
        [['simbtca:BTC', 'simbtcb:BTC', 'reconnect', 5]],
      );
      assert.match(switches[0]!.reason, /threshold/);
    });
  });
}

type Json = Record<string, unknown>;

/** Every source stops quoting DOGE's price (exchanges delist it, the calculators keep its network data). */
function dogePriceGone(replay: ReplayServer): void {
  for (const file of ['binance/ticker_24hr_symbols.json', 'binance/ticker_price_symbols.json'])
    replay.updateFixture<Json[]>(file, (rows) => rows.filter((r) => r.symbol !== 'DOGEUSDT'));
  replay.updateFixture<Json>('coingecko/simple_price.json', (all) => {
    delete all.dogecoin;
    return all;
  });
  replay.updateFixture<Json[]>('coingecko/coins_markets.json', (rows) =>
    rows.filter((r) => r.id !== 'dogecoin'),
  );
  replay.updateFixture<Json[]>('minerstat/coins.json', (rows) =>
    rows.map((r) => (r.coin === 'DOGE' ? { ...r, price: -1 } : r)),
  );
  replay.updateFixture<{ coins: Record<string, Json> }>('whattomine/asic.json', (body) => {
    for (const entry of Object.values(body.coins)) if (entry.tag === 'DOGE') delete entry.exchange_rate;
    return body;
  });
}

for (const database of testDatabases()) {
  describe(`the price of the coin mined disappears from every source (${database.name})`, () => {
    const PRICE_LIMIT_S = 4;
    let s: ProxyStack;
    let miners: SimMiner[];

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'scrypt',
        pools: [
          { key: 'simltc:LTC', feeFraction: 0.01, id: 'c0c0' },
          { key: 'simdoge:DOGE', feeFraction: 0.01, id: 'd0d0' },
        ],
        profile: { name: 'e2e', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } },
        // DOGE at 0.4 of its recorded price pays more than LTC.
        market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.4 } }),
        fallbackPool: 'simltc:LTC',
        aggregator: (raw) => setPath(raw, ['aggregator', 'staleness', 'priceS'], PRICE_LIMIT_S),
      });
      miners = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.rig${i + 1}`, password: 'p=e2e', profile }),
        ),
      );
      await waitFor(() => miners.every((m) => acceptedOn(m, 'd0d0') >= 2), { what: 'shares on DOGE' });
    });
    after(() => s?.close());

    it('DOGE is no longer valued once its last price is stale: the miners move to LTC without reconnecting', async () => {
      type Coin = ResponseOf<'coin'>;
      const quoted = (await s.get<Coin>('/v1/coins/DOGE')).priceUpdatedAt;
      assert.ok(quoted);
      dogePriceGone(s.replay);
      await s.cycle();
      // No source gave a DOGE price: the one kept is the last quoted, with its time.
      assert.equal((await s.get<Coin>('/v1/coins/DOGE')).priceUpdatedAt, quoted);

      // Cycles go on; once that price is older than the limit, DOGE is stale and the decision turns to LTC.
      const decision = await waitFor(
        async () => {
          await s.cycle();
          const d = await s.get<ResponseOf<'decision'>>(
            '/v1/decision?profile=e2e&algorithms=scrypt&hashrateHs=1e6',
          );
          return d.chosen?.poolKey !== 'simdoge:DOGE' ? d : undefined;
        },
        { what: 'a decision away from DOGE', intervalMs: 500 },
      );
      assert.equal(decision.chosen?.poolKey, 'simltc:LTC', decision.reason);
      assert.ok(
        !decision.ranked.some((t) => t.poolKey === 'simdoge:DOGE'),
        'the stale DOGE pool is not ranked',
      );
      const doge = await s.get<Coin>('/v1/coins/DOGE');
      assert.equal(doge.stale, true);
      assert.equal(doge.priceUpdatedAt, quoted);
      assert.ok(Date.now() - Date.parse(quoted) > PRICE_LIMIT_S * 1000);

      const ltcBefore = miners.map((m) => acceptedOn(m, 'c0c0'));
      await waitFor(() => miners.every((m, i) => acceptedOn(m, 'c0c0') >= ltcBefore[i]! + 2), {
        what: 'shares on LTC',
      });
      for (const m of miners) assert.equal(m.reconnects.length, 0, `${m.profile.name} reconnected`);
      assertSharesAcceptedByTheirPools(
        s,
        miners,
        new Map([
          ['c0c0', 'simltc:LTC'],
          ['d0d0', 'simdoge:DOGE'],
        ]),
      );
      const switches = await waitFor(
        async () => {
          const all = await switchesOf(s, 'e2e-scrypt');
          return all.some((w) => w.toPoolKey === 'simltc:LTC') ? all : undefined;
        },
        { what: 'the switch to LTC in GET /v1/switches' },
      );
      assert.deepEqual(
        switches.map((w) => [w.fromPoolKey, w.toPoolKey, w.method, w.miners]),
        [['simdoge:DOGE', 'simltc:LTC', 'notify', miners.length]],
      );
      assert.match(switches[0]!.reason, /DOGE@simdoge is stale/);
    });
  });
}

for (const database of testDatabases()) {
  describe(`the market moves below the threshold, then over it and back within the dwell (${database.name})`, () => {
    const DWELL_S = 6;
    let s: ProxyStack;
    let miners: SimMiner[];
    const ids = new Map([
      ['c0c0', 'simltc:LTC'],
      ['d0d0', 'simdoge:DOGE'],
    ]);
    /** Pool values at the start (DOGE at a tenth of its recorded price). */
    let ltcValue: number;
    let dogeValueAtTenth: number;

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'scrypt',
        pools: [
          { key: 'simltc:LTC', feeFraction: 0.01, id: 'c0c0' },
          { key: 'simdoge:DOGE', feeFraction: 0.01, id: 'd0d0' },
        ],
        profile: { name: 'e2e', definition: { switching: { minDwellS: DWELL_S, thresholdFraction: 0.05 } } },
        market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.1 } }),
        fallbackPool: 'simltc:LTC',
        // No backstop decision within the test: the end of the dwell alone brings the miners back.
        timings: { decisionIntervalS: 600 },
      });
      miners = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.rig${i + 1}`, password: 'p=e2e', profile }),
        ),
      );
      await waitFor(() => miners.every((m) => acceptedOn(m, 'c0c0') >= 2), { what: 'shares on LTC' });
      const value = async (key: string) => (await s.get<ResponseOf<'pool'>>(`/v1/pools/${key}`)).usdPerHsDay!;
      ltcValue = await value('simltc:LTC');
      dogeValueAtTenth = await value('simdoge:DOGE');
      assert.ok(dogeValueAtTenth < ltcValue, 'LTC pays more to begin with');
    });
    after(() => s?.close());

    /** The price factor that puts DOGE's pool `margin` above LTC's (same fee: its value is linear in the price). */
    const dogeFactorFor = (margin: number) => (0.1 * (1 + margin) * ltcValue) / dogeValueAtTenth;

    /** A cycle on the moved market, then the proxy's route once `decided` holds (a decision on the new market). */
    async function moveAndDecide(factor: number, decided: (route: RouteSummary) => boolean) {
      s.replay.setMarket({ DOGE: { priceFactor: factor } });
      await s.cycle();
      return waitFor(
        () => {
          const route = s.proxy.proxy.summary().routes[0]!;
          return decided(route) ? route : undefined;
        },
        { what: 'the route decided on the moved market' },
      );
    }

    it('3 % better is below the 5 % threshold: the miners stay on LTC', async () => {
      const route = await moveAndDecide(dogeFactorFor(0.03), (r) =>
        /DOGE@simdoge only 3\.0 % above/.test(r.decision.reason ?? ''),
      );
      assert.equal(route.target, 'simltc:LTC');
      assert.match(route.decision.reason ?? '', /below the 5 % threshold/);
      const since = new Date(Date.now() - 3600_000).toISOString();
      const d = await s.get<ResponseOf<'decision'>>(
        `/v1/decision?profile=e2e&algorithms=scrypt&hashrateHs=1e6&current=simltc:LTC&since=${since}`,
      );
      assert.equal(d.chosen?.poolKey, 'simltc:LTC');
      assert.ok(Math.abs(d.inputs.marginFraction! - 0.03) < 1e-6, `margin ${d.inputs.marginFraction}`);
      const ltcBefore = miners.map((m) => acceptedOn(m, 'c0c0'));
      await waitFor(() => miners.every((m, i) => acceptedOn(m, 'c0c0') >= ltcBefore[i]! + 2), 'still on LTC');
      assert.ok(miners.every((m) => acceptedOn(m, 'd0d0') === 0));
    });

    it('10 % better: the miners go to DOGE; LTC better again at once: they stay the dwell, then go back', async () => {
      // The miners have been on LTC for the dwell (since they connected).
      const onLtcSince = Date.parse(s.proxy.proxy.summary().routes[0]!.since!);
      await waitFor(() => Date.now() - onLtcSince > DWELL_S * 1000, {
        what: 'the dwell on LTC',
        intervalMs: 100,
      });
      const toDoge = await moveAndDecide(dogeFactorFor(0.1), (r) => r.target === 'simdoge:DOGE');
      await waitFor(() => miners.every((m) => acceptedOn(m, 'd0d0') >= 1), { what: 'shares on DOGE' });

      // LTC 10 % above DOGE: over the threshold, but the route has been on DOGE for less than the dwell.
      const held = await moveAndDecide(
        dogeFactorFor(-1 / 11),
        (r) => r.target === 'simltc:LTC' || /LTC@simltc 10\.0 % above/.test(r.decision.reason ?? ''),
      );
      // (Unless the machine was so slow that the dwell had passed when the route asked.)
      if (Date.parse(held.decision.at ?? '') - Date.parse(toDoge.since!) < DWELL_S * 1000) {
        assert.equal(held.target, 'simdoge:DOGE');
        assert.match(held.decision.reason ?? '', /dwell \d+ s of 6 s/);
      }
      const ltcBefore = miners.map((m) => acceptedOn(m, 'c0c0'));
      await waitFor(() => miners.every((m, i) => acceptedOn(m, 'c0c0') >= ltcBefore[i]! + 2), {
        what: 'back on LTC after the dwell',
        timeoutMs: 60_000,
      });
      for (const m of miners) assert.equal(m.reconnects.length, 0, `${m.profile.name} reconnected`);
      assertSharesAcceptedByTheirPools(s, miners, ids);

      const switches = await waitFor(
        async () => {
          const all = await switchesOf(s, 'e2e-scrypt');
          return all.length >= 2 ? all : undefined;
        },
        { what: 'both switches in GET /v1/switches' },
      );
      const [back, there] = switches as [Switches['switches'][number], Switches['switches'][number]];
      assert.deepEqual(
        switches.map((w) => [w.fromPoolKey, w.toPoolKey, w.method]),
        [
          ['simdoge:DOGE', 'simltc:LTC', 'notify'],
          ['simltc:LTC', 'simdoge:DOGE', 'notify'],
        ],
      );
      assert.ok(Math.abs(there.inputs.marginFraction! - 0.1) < 1e-6, `margin ${there.inputs.marginFraction}`);
      assert.ok(Math.abs(back.inputs.marginFraction! - 0.1) < 1e-6, `margin ${back.inputs.marginFraction}`);
      assert.ok(
        Date.parse(back.at) - Date.parse(there.at) >= DWELL_S * 1000,
        `back after ${Date.parse(back.at) - Date.parse(there.at)} ms on DOGE, dwell ${DWELL_S} s`,
      );
      assert.match(back.reason, new RegExp(`dwell ${DWELL_S} s met`));
    });
  });
}

for (const database of testDatabases()) {
  describe(`two profiles on one listener and account, different thresholds (${database.name})`, () => {
    let s: ProxyStack;
    let eager: SimMiner[];
    let patient: SimMiner[];
    const ids = new Map([
      ['c0c0', 'simltc:LTC'],
      ['d0d0', 'simdoge:DOGE'],
    ]);

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'scrypt',
        pools: [
          { key: 'simltc:LTC', feeFraction: 0.01, id: 'c0c0' },
          { key: 'simdoge:DOGE', feeFraction: 0.01, id: 'd0d0' },
        ],
        profile: { name: 'eager', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } },
        market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.1 } }),
        fallbackPool: 'simltc:LTC',
      });
      const created = await fetch(`${s.apiUrl}/v1/profiles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'patient',
          definition: { switching: { minDwellS: 0, thresholdFraction: 0.5 } },
        }),
      });
      assert.equal(created.status, 201, await created.text());
      eager = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.eager${i + 1}`, password: 'p=eager', profile }),
        ),
      );
      patient = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.patient${i + 1}`, password: 'p=patient', profile }),
        ),
      );
      await waitFor(() => [...eager, ...patient].every((m) => acceptedOn(m, 'c0c0') >= 2), {
        what: 'shares on LTC',
      });
    });
    after(() => s?.close());

    it('DOGE 20 % better: the 5 % profile moves, the 50 % one stays; both keep every share', async () => {
      const ltcValue = (await s.get<ResponseOf<'pool'>>('/v1/pools/simltc:LTC')).usdPerHsDay!;
      const dogeAtTenth = (await s.get<ResponseOf<'pool'>>('/v1/pools/simdoge:DOGE')).usdPerHsDay!;
      s.replay.setMarket({ DOGE: { priceFactor: (0.1 * 1.2 * ltcValue) / dogeAtTenth } });
      await s.cycle();
      await waitFor(() => eager.every((m) => acceptedOn(m, 'd0d0') >= 2), { what: 'eager miners on DOGE' });
      const routes = await waitFor(
        () => {
          const r = s.proxy.proxy.summary().routes;
          const p = r.find((x) => x.profile === 'patient');
          return p && /20\.0 % above, below the 50 % threshold/.test(p.decision.reason ?? '') ? r : undefined;
        },
        { what: 'the patient route decided on the moved market' },
      );
      assert.deepEqual(routes.map((r) => [r.profile, r.target, r.miners]).sort(), [
        ['eager', 'simdoge:DOGE', 2],
        ['patient', 'simltc:LTC', 2],
      ]);
      const before = patient.map((m) => acceptedOn(m, 'c0c0'));
      await waitFor(() => patient.every((m, i) => acceptedOn(m, 'c0c0') >= before[i]! + 2), {
        what: 'patient miners still on LTC',
      });
      assert.ok(patient.every((m) => acceptedOn(m, 'd0d0') === 0));
      for (const m of [...eager, ...patient]) assert.equal(m.reconnects.length, 0);
      assertSharesAcceptedByTheirPools(s, [...eager, ...patient], ids);
      const switches = await waitFor(
        async () => {
          const all = await switchesOf(s, 'e2e-scrypt');
          return all.length > 0 ? all : undefined;
        },
        { what: 'the switch in GET /v1/switches' },
      );
      assert.deepEqual(
        switches.map((w) => [w.profile, w.fromPoolKey, w.toPoolKey, w.miners]),
        [['eager', 'simltc:LTC', 'simdoge:DOGE', 2]],
      );
    });
  });
}
