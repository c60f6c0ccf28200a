// When the new pool's extranonce2 is too small for the miners' n2′ (k + n2′ > n2_up): miners that subscribed to
// extranonce get mining.set_extranonce with a size that fits; others (cpuminer) get client.reconnect to the
// proxy and come back with that size. The switch records the method.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';

describe('a pool whose extranonce2 is too small for the miners’ n2′', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      algorithm: 'sha256d',
      pools: [
        { poolKey: 'roomy:BTC', options: { id: 'aaaa', extranonce2Size: 8 } },
        // k = 1 and n2′ = 3 need 4 bytes; this pool has 3: miners must go down to n2′ = 2.
        { poolKey: 'tight:BTC', options: { id: 'bbbb', extranonce2Size: 3 } },
      ],
    });
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
