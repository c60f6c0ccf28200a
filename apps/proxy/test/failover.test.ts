// Failures around a route: a pool killed mid-run (failover to the next ranked target and back), the decision
// source down (fail-static), and no decision ever (the listener's fallback pool). Miners stay connected.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SIM_DIFFICULTY, type SimMiner, SimPool, waitFor } from '@smart-mining/testkit';
import { type Harness, startHarness } from './harness.ts';

const acceptedOn = (m: SimMiner, poolId: string) =>
  m.shares.filter((s) => s.accepted === true && s.poolJob?.poolId === poolId).length;

describe('route failures', () => {
  let h: Harness | undefined;
  const extra: SimPool[] = [];
  afterEach(async () => {
    await h?.stop();
    for (const p of extra.splice(0)) await p.stop();
  });

  it('a pool killed mid-run: its miners mine on the next ranked target, still connected, and come back', async () => {
    h = await startHarness({
      algorithm: 'sha256d',
      pools: [
        { poolKey: 'a:BTC', options: { id: 'aaaa' } },
        { poolKey: 'b:BTC', options: { id: 'bbbb' } },
      ],
      timings: { failoverAfterS: 1, downRetryS: 2 },
    });
    const miners = [
      await h.miner({ username: 'acct.r1' }),
      await h.miner({ username: 'acct.r2', profile: 'antminer' }),
    ];
    await waitFor(() => miners.every((m) => acceptedOn(m, 'aaaa') >= 2), { what: 'shares on A' });
    const portA = h.pools.get('a:BTC')!.port;
    await h.pools.get('a:BTC')!.stop();

    await waitFor(() => miners.every((m) => acceptedOn(m, 'bbbb') >= 2), {
      what: 'shares on B',
      timeoutMs: 30_000,
    });
    for (const m of miners) assert.equal(m.reconnects.length, 0);
    for (const m of miners) assert.equal(m.state, 'mining');
    const failover = await waitFor(() => h!.reports.switches.find((r) => r.to === 'b:BTC'));
    assert.equal(failover.trigger, 'failover');
    assert.match(failover.reason, /a:BTC is down/);

    // A comes back on the same port; the decision still prefers it, so the route returns.
    const revived = new SimPool({ algorithm: 'sha256d', difficulty: SIM_DIFFICULTY.sha256d, id: 'aaab' });
    await revived.listen(portA);
    extra.push(revived);
    await waitFor(() => miners.every((m) => acceptedOn(m, 'aaab') >= 1), {
      what: 'back on A',
      timeoutMs: 30_000,
    });
    const recovery = await waitFor(() => h!.reports.switches.find((r) => r.to === 'a:BTC'));
    assert.equal(recovery.trigger, 'recovery');
    for (const m of miners) assert.equal(m.reconnects.length, 0);
  });

  it('decision source down: mining goes on where it was; decisions resume when it is back', async () => {
    h = await startHarness({
      algorithm: 'sha256d',
      pools: [
        { poolKey: 'a:BTC', options: { id: 'aaaa' } },
        { poolKey: 'b:BTC', options: { id: 'bbbb' } },
      ],
    });
    const miner = await h.miner({ username: 'acct.r1' });
    await waitFor(() => acceptedOn(miner, 'aaaa') >= 2);
    h.decisions.failing = 'connect ECONNREFUSED';
    h.decisions.rank([h.targets.get('b:BTC')!]);
    const asked = h.decisions.asked.length;
    await waitFor(() => h!.decisions.asked.length > asked && h!.proxy.summary().routes[0]?.decision.error);
    const before = acceptedOn(miner, 'aaaa');
    await waitFor(() => acceptedOn(miner, 'aaaa') >= before + 3, { what: 'mining on through the outage' });
    assert.equal(h.proxy.summary().routes[0]?.target, 'a:BTC');

    h.decisions.failing = undefined;
    h.decisions.emit({ kind: 'catch-up' });
    await waitFor(() => acceptedOn(miner, 'bbbb') >= 2, { what: 'decision applied after the outage' });
    assert.equal(miner.reconnects.length, 0);
  });

  it('never decided: the listener’s fallback pool; the first decision then moves the miners', async () => {
    h = await startHarness({
      algorithm: 'scrypt',
      pools: [
        { poolKey: 'fb:LTC', options: { id: 'ffff' } },
        { poolKey: 'b:DOGE', options: { id: 'bbbb' } },
      ],
      listener: { fallbackPool: 'fb:LTC' },
      decisionsFailing: true,
    });
    const miner = await h.miner({ username: 'acct.r1', profile: 'cpuminer-opt' });
    await waitFor(() => acceptedOn(miner, 'ffff') >= 2, { what: 'mining on the fallback pool' });
    const route = h.proxy.summary().routes[0]!;
    assert.equal(route.target, 'fb:LTC');
    assert.equal(route.trigger, 'fallback');

    h.decisions.failing = undefined;
    h.decisions.rank([h.targets.get('b:DOGE')!]);
    await waitFor(() => acceptedOn(miner, 'bbbb') >= 2, { what: 'mining on the decided pool' });
    const report = await waitFor(() => h!.reports.switches.find((r) => r.to === 'b:DOGE'));
    assert.equal(report.from, 'fb:LTC');
    assert.equal(report.trigger, 'decision');
  });

  it('never decided, and the account has no wallet for the fallback pool’s coin: no login there; the first decision is mined', async () => {
    const logins: string[] = [];
    h = await startHarness({
      algorithm: 'scrypt',
      pools: [
        { poolKey: 'fb:LTC', options: { id: 'ffff', authorize: (user) => logins.push(user) > 0 } },
        { poolKey: 'b:DOGE', options: { id: 'bbbb' } },
      ],
      listener: { fallbackPool: 'fb:LTC' },
      decisionsFailing: true,
    });
    const account = h.directory.accounts.get('acct')!;
    account.wallets = { DOGE: account.wallets.DOGE! };
    const miner = await h.miner({ username: 'acct.r1', profile: 'cpuminer-opt' });
    await waitFor(() => h!.proxy.summary().routes[0]?.decision.error, { what: 'a failed decision' });
    h.proxy.tick();
    assert.equal(h.proxy.summary().routes[0]?.target, null, 'nothing this account can mine');

    h.decisions.failing = undefined;
    h.decisions.rank([h.targets.get('b:DOGE')!]);
    h.decisions.emit({ kind: 'catch-up' });
    await waitFor(() => acceptedOn(miner, 'bbbb') >= 2, { what: 'mining on the decided pool' });
    assert.deepEqual(logins, [], 'no login on the fallback pool (it had no wallet to log in with)');
  });
});
