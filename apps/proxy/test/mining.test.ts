// Every simulated miner profile mines through the proxy on real sockets; each share is accepted by the pool
// that issued its job.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MINER_PROFILES, type MinerProfileName, type SimMiner, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';

for (const algorithm of ['sha256d', 'scrypt'] as const) {
  describe(`every miner profile mines through the proxy (${algorithm})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ algorithm, pools: [{ poolKey: 'a:BTC', options: { id: 'aaaa' } }] });
    });
    after(() => h.stop());

    for (const profile of Object.keys(MINER_PROFILES) as MinerProfileName[]) {
      it(`${profile}: every share accepted by the issuing pool`, async () => {
        const miner: SimMiner = await h.miner({ username: `acct.${profile}`, profile, maxShares: 4 });
        await waitFor(() => miner.shares.length >= 4 && miner.shares.every((s) => s.accepted !== undefined), {
          what: `${profile} shares answered`,
          timeoutMs: 30_000,
        });
        miner.stop();
        const pool = h.pools.get('a:BTC')!;
        for (const share of miner.shares) {
          assert.equal(share.accepted, true, `${profile}: ${JSON.stringify(share.error)}`);
          assert.equal(share.poolJob?.poolId, 'aaaa');
          // Relayed exactly: the pool saw q ‖ X ‖ xn2 (pool n2 = 8, k = 1, n2' = 3: q is 4 zero bytes).
          const upstream = `00000000${miner.extranonce1}${share.extranonce2}`;
          const record = pool.shares.find((r) => r.extranonce2 === upstream && r.nonce === share.nonce);
          assert.equal(record?.accepted, true, `pool record for ${upstream}`);
          assert.equal(record?.versionBits, share.versionBits);
        }
        assert.equal(miner.reconnects.length, 0);
      });
    }
  });
}

describe('version-rolling miners on a pool without BIP 310', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      algorithm: 'sha256d',
      pools: [{ poolKey: 'a:BTC', options: { versionMask: null } }],
    });
  });
  after(() => h.stop());

  for (const profile of ['bitaxe', 'antminer'] as const) {
    it(`${profile}: told mask 00000000 on attach, then every share accepted`, async () => {
      const miner = await h.miner({ username: `acct.${profile}`, profile, maxShares: 3 });
      await waitFor(() => miner.shares.length >= 3 && miner.shares.every((s) => s.accepted !== undefined));
      miner.stop();
      assert.equal(miner.versionMask, 0);
      for (const share of miner.shares) assert.equal(share.accepted, true, JSON.stringify(share.error));
      assert.ok(h.pools.get('a:BTC')!.shares.every((r) => r.versionBits === undefined));
    });
  }
});
