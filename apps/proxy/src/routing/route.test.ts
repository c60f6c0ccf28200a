import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

describe('routes', () => {
  it('miners of the same account, profile and hardware share a route; a profile change reaches only its routes', async () => {
    m = await memoryProxy();
    await m.miner('acct.a', 'p=max-profit');
    await m.miner('acct.b', 'p=max-profit');
    await m.miner('acct.c', 'p=fixed');
    const routes = m.proxy.summary().routes;
    assert.deepEqual(routes.map((r) => [r.profile, r.miners]).sort(), [
      ['fixed', 1],
      ['max-profit', 2],
    ]);
    const asked = m.decisions.asked.length;
    m.decisions.emit({ kind: 'profile-changed', profile: 'fixed' });
    await waitFor(() => m!.decisions.asked.length > asked);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      m.decisions.asked.slice(asked).map((q) => q.route.profile),
      ['fixed'],
    );
  });

  it('asks again on the backstop timer, with the current target and since when', async () => {
    m = await memoryProxy({ timings: { decisionIntervalS: 60 } });
    await m.miner();
    const asked = m.decisions.asked.length;
    m.advance(59_000);
    assert.equal(m.decisions.asked.length, asked);
    m.advance(2000);
    await waitFor(() => m!.decisions.asked.length > asked);
    const q = m.decisions.asked.at(-1)!;
    assert.equal(q.current?.poolKey, 'a:BTC');
    assert.ok(q.current!.since instanceof Date);
  });

  it('a target whose coin the account has no wallet for is skipped for the next ranked one', async () => {
    m = await memoryProxy({ pools: [{ poolKey: 'x:XMR' }, { poolKey: 'a:BTC' }] });
    const { client } = await m.miner();
    assert.equal(m.proxy.summary().routes[0]?.target, 'a:BTC');
    assert.ok(client.calls('mining.notify').length > 0);
  });

  it('a pool whose extranonce2 leaves no room for the prefix is marked down; the route mines the next one', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'tiny:BTC', options: { extranonce2Size: 1 } }, { poolKey: 'a:BTC' }],
    });
    const { client } = await m.miner();
    assert.ok(client.calls('mining.notify').length > 0);
    const summary = m.proxy.summary();
    assert.equal(summary.routes[0]?.target, 'a:BTC');
    assert.match(
      summary.pools.find((p) => p.poolKey === 'tiny:BTC')?.down ?? '',
      /extranonce2_size 1 leaves no room/,
    );
  });
});
