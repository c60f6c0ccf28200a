// A route moves between two simulated pools without any miner reconnecting (sha256d and scrypt, shared and
// per-miner upstreams); every share is accepted by the pool that issued its job, shares in flight during the
// switch included.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type MinerProfileName, type SimMiner, simJobOrigin, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';
import { rawMiner } from './raw-miner.ts';
import { findShare } from './share-finder.ts';

const PROFILES: MinerProfileName[] = ['cpuminer', 'cpuminer-opt', 'bitaxe', 'antminer', 'nerdminer'];
const COINS = { sha256d: ['BTC', 'BCH'], scrypt: ['LTC', 'DOGE'] } as const;

const acceptedOn = (m: SimMiner, poolId: string) =>
  m.shares.filter((s) => s.accepted === true && s.poolJob?.poolId === poolId).length;

for (const algorithm of ['sha256d', 'scrypt'] as const) {
  for (const mode of ['shared', 'per-miner'] as const) {
    describe(`switching a route (${algorithm}, ${mode} upstreams)`, () => {
      let h: Harness;
      const [coinA, coinB] = COINS[algorithm];
      const a = `a:${coinA}`;
      const b = `b:${coinB}`;
      before(async () => {
        h = await startHarness({
          algorithm,
          pools: [
            { poolKey: a, options: { id: 'aaaa' } },
            { poolKey: b, options: { id: 'bbbb' } },
          ],
          listener: { upstreamMode: mode },
        });
      });
      after(() => h.stop());

      it('moves every miner to the new pool with set_difficulty + clean notify; no reconnect; every share accepted by its pool', async () => {
        const miners = await Promise.all(
          PROFILES.map((profile) => h.miner({ username: `acct.${profile}`, profile })),
        );
        await waitFor(() => miners.every((m) => acceptedOn(m, 'aaaa') >= 2), {
          what: 'shares on A',
          timeoutMs: 30_000,
        });

        h.decisions.rank([h.targets.get(b)!, h.targets.get(a)!], 'b pays more');
        await waitFor(() => miners.every((m) => acceptedOn(m, 'bbbb') >= 2), {
          what: 'shares on B',
          timeoutMs: 30_000,
        });
        for (const m of miners) m.stop();

        for (const m of miners) {
          assert.equal(m.reconnects.length, 0, `${m.profile.name} reconnected`);
          const switchJob = m.jobs.find((j) => j.poolJob?.poolId === 'bbbb');
          assert.equal(switchJob?.clean, true, `${m.profile.name}: first job on B is clean`);
          for (const share of m.shares.filter((s) => s.accepted !== undefined)) {
            assert.equal(share.accepted, true, `${m.profile.name}: ${JSON.stringify(share.error)}`);
            const pool = share.poolJob?.poolId === 'aaaa' ? h.pools.get(a)! : h.pools.get(b)!;
            assert.ok(
              pool.shares.some(
                (r) => r.accepted && r.nonce === share.nonce && r.extranonce2.endsWith(share.extranonce2),
              ),
            );
          }
        }
        const report = await waitFor(() => h.reports.switches.find((r) => r.to === b));
        assert.equal(report.from, a);
        assert.equal(report.method, 'notify');
        assert.equal(report.trigger, 'decision');
        assert.equal(report.reason, 'b pays more');
        assert.equal(report.decisionRoute, 'max-usd-coin/acct');
        assert.deepEqual(report.inputs, { ranked: [b, a] });
        assert.equal(report.methods.notify, PROFILES.length);
        assert.ok(report.durationMs !== null && report.durationMs >= 0);
        const summary = h.proxy.summary();
        assert.equal(summary.routes[0]?.target, b);
        assert.equal(summary.routes[0]?.lastSwitch?.miners, PROFILES.length);
      });

      it('a share found on the old pool’s job and sent after the switch goes to the old pool and is accepted there', async () => {
        h.decisions.rank([h.targets.get(a)!, h.targets.get(b)!], 'a again');
        const raw = await rawMiner(h.port, 'acct.inflight');
        const first = await raw.nextJob(0);
        const origin = simJobOrigin(first.params.coinb2)?.poolId === 'aaaa' ? a : b;
        const other = origin === a ? b : a;
        const xn2 = '00'.repeat(raw.extranonce2Size);
        const share = findShare(algorithm, first.params, raw.extranonce1, xn2, first.difficulty);

        h.decisions.rank([h.targets.get(other)!, h.targets.get(origin)!], 'moving on');
        const moved = await raw.nextJob(1);
        assert.equal(moved.params.cleanJobs, true);
        assert.notEqual(moved.params.jobId, first.params.jobId);
        const answer = await raw.submit(first.params.jobId, share);
        assert.equal(answer.kind, 'response', JSON.stringify(answer));
        const oldPool = h.pools.get(origin)!;
        assert.ok(
          oldPool.shares.some((r) => r.accepted && r.nonce === share.nonce && r.extranonce2.endsWith(xn2)),
        );
        raw.client.close();
      });
    });
  }
}
