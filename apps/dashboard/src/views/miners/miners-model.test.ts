// Tests for the miners view's figures: the current pool of a miner that moved, totals per account, the filter.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MinerStats } from '../../api/types.ts';
import { accountOf, accountTotals, currentMiners, filterMiners, rejectedFraction } from './miners-model.ts';

function stats(
  miner: string,
  poolKey: string,
  reportedAt: string,
  more: Partial<MinerStats> = {},
): MinerStats {
  return {
    proxy: 'p1',
    miner,
    poolKey,
    profile: 'max-usd-coin',
    hardware: null,
    algorithm: 'scrypt',
    agent: null,
    connectedAt: null,
    accepted: 10,
    rejected: 1,
    stale: 0,
    hashrateHs: 1e9,
    usdPerDay: 2,
    reportedAt,
    ...more,
  };
}

describe('miners model', () => {
  it('splits a login into account and worker', () => {
    assert.deepEqual(accountOf('alice.rig1'), { account: 'alice', worker: 'rig1' });
    assert.deepEqual(accountOf('Lwallet.rig.2'), { account: 'Lwallet', worker: 'rig.2' });
    assert.deepEqual(accountOf('solo'), { account: 'solo', worker: '' });
  });

  it("keeps a miner's newest report as where it mines now, per proxy", () => {
    const rows = currentMiners([
      stats('alice.rig1', 'sim:LTC', '2024-02-16T16:00:00Z'),
      stats('alice.rig1', 'sim:DOGE', '2024-02-16T16:05:00Z'),
      stats('alice.rig1', 'sim:LTC', '2024-02-16T16:01:00Z', { proxy: 'p2' }),
    ]);
    assert.deepEqual(rows.map((r) => [r.key, r.poolKey, r.coin, r.account]).sort(), [
      ['p1/alice.rig1', 'sim:DOGE', 'DOGE', 'alice'],
      ['p2/alice.rig1', 'sim:LTC', 'LTC', 'alice'],
    ]);
  });

  it('sums each account, counting miners without a USD estimate apart', () => {
    const rows = currentMiners([
      stats('alice.a', 'sim:LTC', '2024-02-16T16:00:00Z', { accepted: 5, hashrateHs: 2e9, usdPerDay: 3 }),
      stats('alice.b', 'sim:LTC', '2024-02-16T16:00:00Z', { accepted: 7, usdPerDay: null, hashrateHs: null }),
      stats('bob.a', 'sim:BTC', '2024-02-16T16:00:00Z', { usdPerDay: 10, stale: 4 }),
    ]);
    const [bob, alice] = accountTotals(rows);
    assert.deepEqual(bob, {
      account: 'bob',
      miners: 1,
      hashrateHs: 1e9,
      accepted: 10,
      rejected: 1,
      stale: 4,
      usdPerDay: 10,
      withoutUsd: 0,
    });
    assert.deepEqual(alice, {
      account: 'alice',
      miners: 2,
      hashrateHs: 2e9,
      accepted: 12,
      rejected: 2,
      stale: 0,
      usdPerDay: 3,
      withoutUsd: 1,
    });
  });

  it('filters on every word, across miner, pool, profile and hardware', () => {
    const rows = currentMiners([
      stats('alice.a', 'sim:LTC', '2024-02-16T16:00:00Z', { hardware: 'antminer-l7' }),
      stats('bob.a', 'sim:BTC', '2024-02-16T16:00:00Z', { algorithm: 'sha256d', profile: 'max-profit' }),
    ]);
    assert.deepEqual(
      filterMiners(rows, 'ALICE l7').map((r) => r.miner),
      ['alice.a'],
    );
    assert.deepEqual(
      filterMiners(rows, 'max-profit').map((r) => r.miner),
      ['bob.a'],
    );
    assert.equal(filterMiners(rows, '  ').length, 2);
    assert.equal(filterMiners(rows, 'alice btc').length, 0);
  });

  it('rates rejected and stale shares against all shares', () => {
    assert.equal(rejectedFraction({ accepted: 0, rejected: 0, stale: 0 }), null);
    assert.equal(rejectedFraction({ accepted: 90, rejected: 6, stale: 4 }), 0.1);
  });
});
