import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backtest } from './backtest.ts';
import { findBuiltInProfile } from './built-in-profiles.ts';
import { assertClose, candidate, NOW, unitMiner } from './test-builders.ts';
import type { Candidate } from './types.ts';

const HOUR_S = 3600;
const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR_S * 1000);
/** Every candidate measured at the snapshot instant, so none is too old. */
const snapshot = (hours: number, candidates: Candidate[]) => ({
  at: at(hours),
  candidates: candidates.map((c) => ({ ...c, dataAt: at(hours) })),
});

describe('backtest', () => {
  // 1 H/s on etchash and kawpow, so USD per H/s per day = USD/day. Profile: threshold 3 %, dwell 600 s,
  // switch cost 60 s over a 600 s horizon (a cross-algorithm target loses 10 % of its revenue).
  //   h0: ETC 24, RVN 12   → start on ETC;                         earns 24 × 1/24               = 1
  //   h1: ETC 24, RVN 48   → RVN net 43.2 beats 24: switch;        earns (48 × 3600 − 48 × 60)/86400 = 1.9666…
  //   h2: ETC 24.5, RVN 24 → ETC net 22.05 < 24: keep RVN;         earns 24 × 1/24               = 1
  //   h3: ETC 24, RVN 24   → keep RVN; last snapshot, no interval.
  // Total 119/30. Fixed ETC: 1 + 1 + 24.5/24 = 3.0208…; fixed RVN: 0.5 + 2 + 1 = 3.5 → best fixed RVN,
  // and the profile beats it by (119/30 − 3.5)/3.5 = 2/15.
  it('counts switches and earnings, charges the switch cost and finds the best fixed target', () => {
    const result = backtest({
      profile: findBuiltInProfile('max-usd-hashrate')!,
      miner: unitMiner('etchash', 'kawpow'),
      snapshots: [
        snapshot(0, [candidate('2miners:ETC', 24), candidate('2miners:RVN', 12)]),
        snapshot(1, [candidate('2miners:ETC', 24), candidate('2miners:RVN', 48)]),
        snapshot(2, [candidate('2miners:ETC', 24.5), candidate('2miners:RVN', 24)]),
        snapshot(3, [candidate('2miners:ETC', 24), candidate('2miners:RVN', 24)]),
      ],
    });
    assert.equal(result.switches, 1);
    assert.deepEqual(
      result.timeline.map((e) => [e.at.getTime(), e.target, e.valueUsdPerDay, e.switched]),
      [
        [at(0).getTime(), '2miners:ETC', 24, false],
        [at(1).getTime(), '2miners:RVN', 48, true],
        [at(2).getTime(), '2miners:RVN', 24, false],
        [at(3).getTime(), '2miners:RVN', 24, false],
      ],
    );
    assertClose(result.usdEarned, 119 / 30);
    assert.equal(result.bestFixed?.target, '2miners:RVN');
    assertClose(result.bestFixed?.usdEarned, 3.5);
    assertClose(result.vsBestFixedFraction, 2 / 15);
  });

  // etchash only; snapshots given out of order. h1 has only stale data: the miner idles (earns 0) and
  // ETC@2miners stays current, so h2's move to nanopool is one switch (same algorithm: no cost).
  //   profile: 10/24 + 0 + 12/24 = 22/24; fixed 2miners: 20/24; fixed nanopool: 9/24 + 12/24 = 21/24.
  it('idles when nothing is eligible and sorts the snapshots', () => {
    const result = backtest({
      profile: findBuiltInProfile('max-usd-coin')!,
      miner: unitMiner('etchash'),
      snapshots: [
        snapshot(2, [candidate('2miners:ETC', 10), candidate('nanopool:ETC', 12)]),
        snapshot(0, [candidate('2miners:ETC', 10), candidate('nanopool:ETC', 9)]),
        snapshot(3, [candidate('2miners:ETC', 10), candidate('nanopool:ETC', 12)]),
        snapshot(1, [
          candidate('2miners:ETC', 10, { stale: true }),
          candidate('nanopool:ETC', 9, { stale: true }),
        ]),
      ],
    });
    assert.deepEqual(
      result.timeline.map((e) => [e.target, e.valueUsdPerDay, e.switched]),
      [
        ['2miners:ETC', 10, false],
        [undefined, 0, false],
        ['nanopool:ETC', 12, true],
        ['nanopool:ETC', 12, false],
      ],
    );
    assert.equal(result.switches, 1);
    assertClose(result.usdEarned, 22 / 24);
    assert.deepEqual(result.bestFixed?.target, 'nanopool:ETC');
    assertClose(result.bestFixed?.usdEarned, 21 / 24);
    assertClose(result.vsBestFixedFraction, 1 / 21);
  });

  it('reports no best fixed target when nothing was ever eligible', () => {
    const result = backtest({
      profile: findBuiltInProfile('max-usd-coin')!,
      miner: unitMiner('etchash'),
      snapshots: [snapshot(0, [candidate('2miners:ETC', 1, { stale: true })]), snapshot(1, [])],
    });
    assert.equal(result.usdEarned, 0);
    assert.equal(result.switches, 0);
    assert.equal(result.bestFixed, undefined);
    assert.equal(result.vsBestFixedFraction, undefined);
  });
});
