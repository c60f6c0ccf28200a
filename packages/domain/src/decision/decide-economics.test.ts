import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findBuiltInProfile } from './built-in-profiles.ts';
import { decide } from './decide.ts';
import { assertClose, candidate, NOW, profile, RTX_3080, secondsBefore, unitMiner } from './test-builders.ts';
import type { MinerCapability, Profile } from './types.ts';

// decide(): the numbers behind the ranking — value per target, tie-break, price basis, scope, electricity.

const builtIn = (name: string): Profile => findBuiltInProfile(name)!;
const ETC_KAS_RVN = unitMiner('etchash', 'kheavyhash', 'kawpow');
describe('decide: values and ranking', () => {
  it('revenue = hashrate × usdPerHsDay × (1 − fee), with the data age', () => {
    const d = decide({
      candidates: [candidate('2miners:ETC', 2.7e-9, { feeFraction: 0.01, dataAt: secondsBefore(NOW, 90) })],
      profile: builtIn('max-usd-coin'),
      miner: RTX_3080,
      now: NOW,
    });
    assertClose(d.chosen?.revenueUsdPerDay, 1e8 * 2.7e-9 * 0.99);
    assert.equal(d.chosen?.costUsdPerDay, 0);
    assert.equal(d.chosen?.hashrateHs, 1e8);
    assert.equal(d.chosen?.dataAgeS, 90);
  });

  it('ties are broken by pool key, whatever the input order', () => {
    const a = candidate('nanopool:ETC', 1);
    const b = candidate('2miners:ETC', 1);
    const c = candidate('herominers:ETC', 1);
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ]) {
      const d = decide({
        candidates: order,
        profile: builtIn('max-usd-coin'),
        miner: unitMiner('etchash'),
        now: NOW,
      });
      assert.deepEqual(
        d.ranked.map((t) => t.target),
        ['2miners:ETC', 'herominers:ETC', 'nanopool:ETC'],
      );
      assert.equal(d.chosen?.target, '2miners:ETC');
    }
  });

  it('price basis avg_24h ranks on the 24 h average, and excludes targets without one', () => {
    const candidates = [
      candidate('2miners:ETC', { current: 1.0, avg_24h: 0.8 }),
      candidate('2miners:RVN', { current: 0.9, avg_24h: 1.0 }),
      candidate('2miners:KAS', { current: 5.0 }),
    ];
    const miner = ETC_KAS_RVN;
    const onCurrent = decide({ candidates, miner, profile: profile({ priceBasis: 'current' }), now: NOW });
    const onAvg = decide({ candidates, miner, profile: profile({ priceBasis: 'avg_24h' }), now: NOW });
    assert.equal(onCurrent.chosen?.target, '2miners:KAS');
    assert.equal(onAvg.chosen?.target, '2miners:RVN');
    assert.equal(onAvg.chosen?.valueUsdPerDay, 1.0);
    assert.deepEqual(onAvg.excluded, [{ target: '2miners:KAS', why: 'missing its avg_24h value' }]);
  });
});

describe('decide: scope and electricity', () => {
  // RTX 3080: ETC 1.2e-8 USD/H/day → 1.20 revenue, 0.552 electricity (230 W) → 0.648 profit;
  // RVN 3e-8 → 1.35 revenue, 0.72 electricity (300 W) → 0.63 profit.
  const market = [candidate('2miners:ETC', 1.2e-8), candidate('2miners:RVN', 3e-8)];
  const onEtchashPort: MinerCapability = { ...RTX_3080, connectionAlgorithms: ['etchash'] };

  it('scope algorithm keeps to the connection algorithm; scope hardware moves to another algorithm', () => {
    const byCoin = decide({
      candidates: market,
      miner: onEtchashPort,
      profile: builtIn('max-usd-coin'),
      now: NOW,
    });
    assert.equal(byCoin.chosen?.target, '2miners:ETC');
    assert.match(byCoin.excluded[0]?.why ?? '', /outside the miner's connection algorithm\(s\) etchash/);
    const byHash = decide({
      candidates: market,
      miner: onEtchashPort,
      profile: builtIn('max-usd-hashrate'),
      now: NOW,
    });
    assert.equal(byHash.chosen?.target, '2miners:RVN');
    assertClose(byHash.chosen?.revenueUsdPerDay, 1.35);
  });

  it('electricity turns the revenue winner into the profit loser', () => {
    const d = decide({ candidates: market, miner: RTX_3080, profile: builtIn('max-profit'), now: NOW });
    assert.equal(d.chosen?.target, '2miners:ETC');
    assertClose(d.chosen?.costUsdPerDay, 0.552);
    assertClose(d.chosen?.valueUsdPerDay, 0.648);
    assertClose(d.ranked[1]?.valueUsdPerDay, 0.63);
  });

  it('says so when every target loses money', () => {
    const dear = profile({ objective: 'profit', electricityUsdPerKwh: 0.5, scope: 'hardware' });
    const d = decide({ candidates: market, miner: RTX_3080, profile: dear, now: NOW });
    // ETC 1.20 − 2.76 = −1.56 beats RVN 1.35 − 3.60 = −2.25: the smaller loss is still chosen.
    assert.equal(d.chosen?.target, '2miners:ETC');
    assert.match(d.reason, /every eligible target loses money at 0\.5 USD\/kWh: -1\.56 USD\/day/);
  });

  it('profit with unknown power counts electricity as 0 and says so', () => {
    const miner: MinerCapability = {
      hardware: 'nvidia-rtx-3080',
      algorithms: [
        { algorithm: 'etchash', hashrateHs: 1e8, powerW: 230 },
        { algorithm: 'kawpow', hashrateHs: 4.5e7 },
      ],
    };
    const d = decide({ candidates: market, miner, profile: builtIn('max-profit'), now: NOW });
    assert.equal(d.chosen?.target, '2miners:RVN');
    assert.equal(d.chosen?.costUsdPerDay, 0);
    assert.match(d.reason, /power unknown for kawpow: electricity counted as 0/);
  });

  it('scope hardware without a hardware key ranks the algorithms given and says so', () => {
    const d = decide({
      candidates: market,
      miner: unitMiner('etchash', 'kawpow'),
      profile: builtIn('max-usd-hashrate'),
      now: NOW,
    });
    assert.equal(d.chosen?.target, '2miners:RVN');
    assert.match(d.reason, /hardware unknown: ranked only the algorithms given/);
  });
});
