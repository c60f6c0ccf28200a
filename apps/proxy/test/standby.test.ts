// Shared upstreams keep the runner-up warm: each route holds its lanes' connections to the decision's next ranked
// pool open, so moving there (a switch or a failover) opens no connection and waits for no handshake.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SimMiner, waitFor } from '@smart-mining/testkit';
import { startStatusServer } from '../src/http/status-server.ts';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';

const acceptedOn = (m: SimMiner, poolId: string) =>
  m.shares.filter((s) => s.accepted === true && s.poolJob?.poolId === poolId).length;

const a = 'a:BTC';
const b = 'b:BCH';

/** Pools a and `second` (ranked in that order) behind a sha256d proxy with `extra` harness options. */
const twoPools = (second: string, extra: Partial<HarnessOptions>) =>
  startHarness({
    algorithm: 'sha256d',
    pools: [
      { poolKey: a, options: { id: 'aaaa' } },
      { poolKey: second, options: { id: second === b ? 'bbbb' : 'gone' } },
    ],
    ...extra,
  });

describe('standby upstreams (shared mode)', () => {
  let h: Harness;
  before(async () => {
    h = await twoPools(b, { timings: { graceS: 1 } });
  });
  after(() => h.stop());

  it('holds the runner-up’s connection open, moves miners onto it without a new one, then holds the old pool', async () => {
    const miners = await Promise.all(['r1', 'r2', 'r3'].map((w) => h.miner({ username: `acct.${w}` })));
    await waitFor(() => miners.every((m) => acceptedOn(m, 'aaaa') >= 1), { what: 'shares on A' });
    const poolB = h.pools.get(b)!;
    // One lane (three miners fit in 256 slots): one authorized connection on B, carrying no miner yet.
    await waitFor(() => [...poolB.connections.values()].some((c) => c.ready), { what: 'standby on B' });
    const before = [...poolB.connections.keys()];
    assert.equal(before.length, 1);
    let summary = h.proxy.summary();
    assert.equal(summary.routes[0]?.target, a);
    assert.equal(summary.routes[0]?.standby, b);
    const standby = summary.upstreams.find((u) => u.poolKey === b);
    assert.deepEqual([standby?.standby, standby?.miners, standby?.state], [true, 0, 'ready']);
    assert.equal(poolB.shares.length, 0);
    const status = await startStatusServer(h.proxy, { port: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${status.port}/metrics`)).text();
    await status.close();
    assert.match(metrics, /sm_proxy_standby_upstreams\{pool="b:BCH"\} 1/);

    h.decisions.rank([h.targets.get(b)!, h.targets.get(a)!], 'b pays more');
    const report = await waitFor(() => h.reports.switches.find((r) => r.to === b));
    assert.notEqual(report.durationMs, null);
    assert.equal(report.methods.notify, miners.length);
    await waitFor(() => miners.every((m) => acceptedOn(m, 'bbbb') >= 1), { what: 'shares on B' });
    assert.deepEqual([...poolB.connections.keys()], before, 'no new connection to B');
    for (const m of miners) assert.equal(m.reconnects.length, 0);

    // A is now the runner-up: its connection stays open past the grace period instead of closing.
    summary = h.proxy.summary();
    assert.equal(summary.routes[0]?.standby, a);
    const held = summary.upstreams.find((u) => u.poolKey === a);
    assert.deepEqual([held?.standby, held?.miners], [true, 0]);
    const onB = summary.upstreams.find((u) => u.poolKey === b);
    assert.deepEqual([onB?.standby, onB?.miners], [false, miners.length]);
  });

  it('releases the standby when the runner-up drops out of the ranking (closed after the grace period)', async () => {
    h.decisions.rank([h.targets.get(b)!], 'b alone');
    await waitFor(() => h.proxy.summary().routes[0]?.standby === null, { what: 'standby released' });
    await waitFor(() => !h.proxy.summary().upstreams.some((u) => u.poolKey === a), {
      what: 'A closed after grace',
    });
  });
});

describe('standby off', () => {
  let h: Harness;
  before(async () => {
    h = await twoPools(b, { listener: { standby: false } });
  });
  after(() => h.stop());

  it('opens no connection to the runner-up before a switch', async () => {
    const m = await h.miner({ username: 'acct.r1' });
    await waitFor(() => acceptedOn(m, 'aaaa') >= 2, { what: 'shares on A' });
    assert.equal(h.pools.get(b)!.connections.size, 0);
    assert.equal(h.proxy.summary().routes[0]?.standby, null);
    h.decisions.rank([h.targets.get(b)!, h.targets.get(a)!], 'b pays more');
    await waitFor(() => acceptedOn(m, 'bbbb') >= 1, { what: 'shares on B' });
    assert.equal(h.pools.get(b)!.connections.size, 1);
  });
});

describe('a standby whose pool cannot be reached', () => {
  let h: Harness;
  before(async () => {
    h = await twoPools('gone:BTC', { timings: { graceS: 1 } });
    // Ranked second, but nothing listens there any more: the standby's connection is refused.
    await h.pools.get('gone:BTC')!.stop();
  });
  after(() => h.stop());

  it('is marked down after failoverAfterS and let go; the miners mine on, undisturbed', async () => {
    const m = await h.miner({ username: 'acct.r1' });
    await waitFor(() => acceptedOn(m, 'aaaa') >= 1, { what: 'shares on A' });
    await waitFor(() => h.proxy.summary().pools.find((p) => p.poolKey === 'gone:BTC')?.down != null, {
      what: 'the unreachable standby pool marked down',
    });
    await waitFor(() => h.proxy.summary().routes[0]?.standby === null, { what: 'standby let go' });
    await waitFor(() => !h.proxy.summary().upstreams.some((u) => u.poolKey === 'gone:BTC'), {
      what: 'its connection closed after the grace period',
    });
    const before = acceptedOn(m, 'aaaa');
    await waitFor(() => acceptedOn(m, 'aaaa') > before, { what: 'still mining on A' });
    assert.equal(m.reconnects.length, 0);
    assert.equal(h.proxy.summary().routes[0]?.target, a);
  });
});
