// When the new pool's extranonce2 is too small for the miners' n2′ (k + n2′ > n2_up): miners that subscribed to
// extranonce get mining.set_extranonce with a size that fits; others (cpuminer) get client.reconnect to the
// proxy and come back with that size. The switch records the method.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simJobOrigin, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';
import { rawMiner } from './raw-miner.ts';
import { findShare } from './share-finder.ts';

const POOLS = [
  { poolKey: 'roomy:BTC', options: { id: 'aaaa', extranonce2Size: 8 } },
  // k = 1 and n2′ = 3 need 4 bytes; this pool has 3: miners must go down to n2′ = 2.
  { poolKey: 'tight:BTC', options: { id: 'bbbb', extranonce2Size: 3 } },
];

describe('a pool whose extranonce2 is too small for the miners’ n2′', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ algorithm: 'sha256d', pools: POOLS });
  });
  after(() => h.stop());

  it('set_extranonce for cpuminer-opt, client.reconnect for cpuminer; both then mine on the new pool', async () => {
    const opt = await h.miner({ username: 'acct.opt', profile: 'cpuminer-opt' });
    const cpu = await h.miner({ username: 'acct.cpu', profile: 'cpuminer' });
    assert.equal(opt.extranonce2Size, 3);
    assert.equal(cpu.extranonce2Size, 3);
    await waitFor(() => opt.accepted >= 2 && cpu.accepted >= 2, { what: 'shares on the roomy pool' });

    h.decisions.rank([h.targets.get('tight:BTC')!, h.targets.get('roomy:BTC')!], 'tight pays more');
    const onTight = (m: typeof opt) =>
      m.shares.filter((s) => s.accepted === true && s.poolJob?.poolId === 'bbbb').length;
    await waitFor(() => onTight(opt) >= 2 && onTight(cpu) >= 2, {
      what: 'shares on the tight pool',
      timeoutMs: 30_000,
    });

    assert.equal(opt.reconnects.length, 0);
    assert.equal(opt.extranonce2Size, 2);
    assert.equal(cpu.reconnects.length, 1);
    assert.equal(cpu.reconnects[0]?.port, h.port);
    assert.equal(cpu.extranonce2Size, 2);
    for (const m of [opt, cpu]) {
      for (const s of m.shares.filter((x) => x.accepted !== undefined)) {
        assert.equal(s.accepted, true, JSON.stringify(s.error));
      }
    }
    const tight = h.pools.get('tight:BTC')!;
    assert.ok(tight.shares.every((r) => r.accepted && r.extranonce2.length === 6));

    const report = await waitFor(() => h.reports.switches.find((r) => r.to === 'tight:BTC'));
    assert.equal(report.method, 'reconnect');
    assert.deepEqual(report.methods, { notify: 0, set_extranonce: 1, reconnect: 1 });
  });
});

describe('shares in flight across a set_extranonce', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ algorithm: 'sha256d', pools: POOLS });
  });
  after(() => h.stop());

  it('a share found at the old size on the roomy pool’s job, sent after set_extranonce, goes to the roomy pool', async (t) => {
    const raw = await rawMiner(h.port, 'acct.inflight');
    t.after(() => raw.client.close());
    await raw.client.request('mining.extranonce.subscribe', []);
    const first = await raw.nextJob(0);
    assert.equal(simJobOrigin(first.params.coinb2)?.poolId, 'aaaa');
    const xn2 = '00'.repeat(raw.extranonce2Size);
    const share = findShare('sha256d', first.params, raw.extranonce1, xn2, first.difficulty);

    h.decisions.rank([h.targets.get('tight:BTC')!, h.targets.get('roomy:BTC')!], 'tight pays more');
    const resized = await raw.client.nextCall('mining.set_extranonce');
    assert.deepEqual(resized.params, [raw.extranonce1, 2]);
    const onTight = await raw.nextJob(1);
    const answer = await raw.submit(first.params.jobId, share);
    assert.equal(answer.kind, 'response', JSON.stringify(answer));
    const roomy = h.pools.get('roomy:BTC')!;
    assert.ok(roomy.shares.some((r) => r.accepted && r.nonce === share.nonce && r.extranonce2.endsWith(xn2)));
    // The old size holds only where the job was given at that size: on the tight pool's job it is wrong.
    const wrong = await raw.submit(onTight.params.jobId, share);
    assert.equal(wrong.kind === 'error' && wrong.error.code, 20);
  });
});
