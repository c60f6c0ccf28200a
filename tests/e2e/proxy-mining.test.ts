// Mining through the whole system: the replayed market, aggregated and served by the API, steers the Stratum proxy
// (real TCP, over HTTP with its proxy token) between simulated pools declared for LTC and DOGE (scrypt) and for two
// BTC pools with different fees (sha256d). Miners switch without reconnecting, every share is accepted by the pool
// that issued its job, switches and miners are read back from the API, mining goes on through an API outage
// (SM_TEST_API_OUTAGE_S, default 3 s; `npm run drill:api-outage` runs a minute) and a pool killed mid-run.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseOf } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import { type SimMiner, waitFor } from '@smart-mining/testkit';
import {
  acceptedOn,
  assertSharesAcceptedByTheirPools,
  type ProxyStack,
  startProxyStack,
} from './proxy-stack.ts';

const OUTAGE_MS = Number(process.env.SM_TEST_API_OUTAGE_S ?? 3) * 1000;
const PROFILE = { name: 'e2e', definition: { switching: { minDwellS: 0, thresholdFraction: 0.05 } } };

type Switches = ResponseOf<'switches'>;
type Miners = ResponseOf<'miners'>;

/** Accepted shares keep coming on `poolId` for every miner for `ms`. */
async function keepsMining(miners: SimMiner[], poolId: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const before = miners.map((m) => acceptedOn(m, poolId));
    await waitFor(() => miners.every((m, i) => acceptedOn(m, poolId) > before[i]!), {
      what: `shares on ${poolId}`,
      timeoutMs: 30_000,
    });
  }
}

for (const database of testDatabases()) {
  describe(`scrypt miners through the proxy, LTC and DOGE (${database.name})`, () => {
    let s: ProxyStack;
    let miners: SimMiner[];
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
        profile: PROFILE,
        // DOGE pays less than LTC to begin with (a tenth of its recorded price).
        market: (replay) => replay.setMarket({ DOGE: { priceFactor: 0.1 } }),
        fallbackPool: 'simltc:LTC',
      });
      miners = await Promise.all(
        (['cpuminer', 'cpuminer-opt'] as const).map((profile, i) =>
          s.miner({ username: `acct.rig${i + 1}`, password: 'p=e2e', profile }),
        ),
      );
    });
    after(() => s?.close());

    it('miners start on LTC; DOGE pays more beyond the threshold; they end on DOGE without reconnecting', async () => {
      await waitFor(() => miners.every((m) => acceptedOn(m, 'c0c0') >= 2), { what: 'shares on LTC' });
      assert.equal(s.proxy.proxy.summary().routes[0]?.target, 'simltc:LTC');

      // DOGE at 0.4 of its recorded price: about 2.3 times LTC's value per hash.
      s.replay.setMarket({ DOGE: { priceFactor: 0.4 } });
      await s.cycle();
      await waitFor(() => miners.every((m) => acceptedOn(m, 'd0d0') >= 2), { what: 'shares on DOGE' });
      for (const m of miners) {
        assert.equal(m.reconnects.length, 0, `${m.profile.name} reconnected`);
        assert.equal(m.state, 'mining');
      }
      assertSharesAcceptedByTheirPools(s, miners, ids);

      const { switches } = await waitFor(
        async () => {
          const r = await s.get<Switches>('/v1/switches?proxy=e2e-scrypt');
          return r.switches.some((w) => w.toPoolKey === 'simdoge:DOGE') ? r : undefined;
        },
        { what: 'the switch in GET /v1/switches' },
      );
      const toDoge = switches.find((w) => w.toPoolKey === 'simdoge:DOGE')!;
      assert.equal(toDoge.fromPoolKey, 'simltc:LTC');
      assert.equal(toDoge.method, 'notify');
      assert.equal(toDoge.account, 'acct');
      assert.equal(toDoge.profile, 'e2e');
      assert.equal(toDoge.miners, miners.length);
      assert.match(toDoge.reason, /threshold/);
      assert.equal(toDoge.inputs.thresholdFraction, 0.05);
      assert.ok(toDoge.inputs.marginFraction !== null && toDoge.inputs.marginFraction > 0.05);

      const seen = await waitFor(
        async () => {
          const r = await s.get<Miners>('/v1/miners?proxy=e2e-scrypt');
          const onDoge = r.miners.filter((m) => m.poolKey === 'simdoge:DOGE' && m.accepted > 0);
          return onDoge.length === miners.length ? onDoge : undefined;
        },
        { what: 'miners in GET /v1/miners' },
      );
      assert.deepEqual(seen.map((m) => m.miner).sort(), ['acct.rig1', 'acct.rig2']);
      assert.ok(seen.every((m) => m.profile === 'e2e' && m.algorithm === 'scrypt'));
    });

    it(`API stopped for ${OUTAGE_MS / 1000} s: every miner keeps mining; decisions resume after`, async () => {
      await s.apiDown();
      await keepsMining(miners, 'd0d0', OUTAGE_MS);
      for (const m of miners) assert.equal(m.reconnects.length, 0);
      await s.apiUp();
      await waitFor(() => s.proxy.ports.events.state === 'open', { what: 'event stream back' });

      // The market moves back: the decision, asked again on the event, returns the miners to LTC.
      const ltcBefore = miners.map((m) => acceptedOn(m, 'c0c0'));
      s.replay.setMarket({ DOGE: { priceFactor: 0.1 } });
      await s.cycle();
      await waitFor(() => miners.every((m, i) => acceptedOn(m, 'c0c0') >= ltcBefore[i]! + 2), {
        what: 'back on LTC after the outage',
      });
      for (const m of miners) assert.equal(m.reconnects.length, 0);
      assertSharesAcceptedByTheirPools(s, miners, ids);
    });
  });

  describe(`sha256d miners through the proxy, two BTC pools with different fees (${database.name})`, () => {
    let s: ProxyStack;
    let miners: SimMiner[];
    const ids = new Map([
      ['b0a0', 'simbtca:BTC'],
      ['b0b0', 'simbtcb:BTC'],
    ]);

    before(async () => {
      s = await startProxyStack(database, {
        algorithm: 'sha256d',
        pools: [
          { key: 'simbtca:BTC', feeFraction: 0.01, id: 'b0a0' },
          { key: 'simbtcb:BTC', feeFraction: 0.03, id: 'b0b0' },
        ],
        profile: PROFILE,
        deadApiFirst: true,
      });
      miners = await Promise.all(
        (['bitaxe', 'antminer'] as const).map((profile, i) =>
          s.miner({ username: `acct.asic${i + 1}`, password: 'p=e2e', profile }),
        ),
      );
    });
    after(() => s?.close());

    it('the first API URL is down: the proxy decides through the next; miners start on the lower fee', async () => {
      await waitFor(() => miners.every((m) => acceptedOn(m, 'b0a0') >= 2), { what: 'shares on A' });
      assert.equal(s.proxy.proxy.summary().routes[0]?.target, 'simbtca:BTC');
      assert.equal(s.proxy.ports.client.preferredUrl, s.apiUrl);
      await waitFor(() => s.proxy.ports.events.state === 'open', { what: 'event stream on the next URL' });
      assert.equal(s.proxy.ports.events.url, s.apiUrl);
    });

    it('the fees change places: miners move to the other pool without reconnecting', async () => {
      // A at 10 %: B (3 %) now pays 7.8 % more, beyond the profile's 5 % threshold.
      await s.setPoolFee('simbtca:BTC', 0.1);
      await waitFor(() => miners.every((m) => acceptedOn(m, 'b0b0') >= 2), { what: 'shares on B' });
      for (const m of miners) assert.equal(m.reconnects.length, 0);
      assertSharesAcceptedByTheirPools(s, miners, ids);
      const { switches } = await waitFor(
        async () => {
          const r = await s.get<Switches>('/v1/switches?proxy=e2e-sha256d');
          return r.switches.some((w) => w.toPoolKey === 'simbtcb:BTC') ? r : undefined;
        },
        { what: 'the switch in GET /v1/switches' },
      );
      const toB = switches.find((w) => w.toPoolKey === 'simbtcb:BTC')!;
      assert.equal(toB.method, 'notify');
      assert.match(toB.reason, /threshold/);
    });

    it('the pool mined is killed: its miners mine on the next ranked target within 5 s, still connected', async (t) => {
      const killedAt = Date.now();
      const onA = miners.map((m) => acceptedOn(m, 'b0a0'));
      await s.pools.get('simbtcb:BTC')!.stop();
      await waitFor(() => miners.every((m, i) => acceptedOn(m, 'b0a0') > onA[i]!), {
        what: 'shares on A after B died',
        timeoutMs: 30_000,
      });
      const tookMs = Date.now() - killedAt;
      t.diagnostic(`every miner had a share accepted on the next pool ${tookMs} ms after the kill`);
      assert.ok(tookMs <= 5000, `back to mining after ${tookMs} ms`);
      for (const m of miners) {
        assert.equal(m.reconnects.length, 0);
        assert.equal(m.state, 'mining');
      }
      const { switches } = await waitFor(
        async () => {
          const r = await s.get<Switches>('/v1/switches?proxy=e2e-sha256d');
          return r.switches.some((w) => w.method === 'failover') ? r : undefined;
        },
        { what: 'the failover in GET /v1/switches' },
      );
      const failover = switches.find((w) => w.method === 'failover')!;
      assert.equal(failover.fromPoolKey, 'simbtcb:BTC');
      assert.equal(failover.toPoolKey, 'simbtca:BTC');
      assert.match(failover.reason, /simbtcb:BTC is down/);
    });
  });
}
