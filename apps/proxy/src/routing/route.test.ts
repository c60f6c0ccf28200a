import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { pino } from 'pino';
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

  it('a decision held by the dwell is asked again as the dwell ends, before the backstop', async () => {
    m = await memoryProxy({ timings: { decisionIntervalS: 60 } });
    m.decisions.dwellLeftS = 10;
    await m.miner();
    const asked = m.decisions.asked.length;
    m.advance(9000);
    assert.equal(m.decisions.asked.length, asked);
    m.advance(2000);
    await waitFor(() => m!.decisions.asked.length > asked);
  });

  it('a switch whose new pool gives no job within switchReportAfterS is reported as it stands, nobody moved yet', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC' }, { poolKey: 'b:BTC' }],
      // b is not marked down (failover) before the report is due: the switch is still waiting for its job then.
      timings: { switchReportAfterS: 30, upstreamTimeoutMs: 120_000, failoverAfterS: 60 },
    });
    m.decisions.rank([m.targets.get('a:BTC')!]);
    await m.miner();
    m.pools.get('b:BTC')!.stall();
    m.decisions.rank([m.targets.get('b:BTC')!, m.targets.get('a:BTC')!], 'b pays more');
    await waitFor(() => m!.proxy.summary().routes[0]?.target === 'b:BTC', { what: 'route on b' });
    m.advance(29_000);
    assert.equal(m.reports.switches.length, 0);
    m.advance(1000);
    const report = await waitFor(() => m!.reports.switches.find((r) => r.to === 'b:BTC'));
    assert.equal(report.from, 'a:BTC');
    assert.equal(report.durationMs, null);
    assert.deepEqual(report.miners, []);
    assert.equal(report.methods.notify + report.methods.set_extranonce + report.methods.reconnect, 0);
  });

  it('a switch cut short before any miner got the new pool’s job is not reported; the next starts where they are', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC' }, { poolKey: 'b:BTC' }, { poolKey: 'c:BTC' }],
      timings: { failoverAfterS: 3, upstreamTimeoutMs: 120_000 },
    });
    m.decisions.rank([m.targets.get('a:BTC')!]);
    await m.miner();
    m.pools.get('b:BTC')!.stall();
    m.decisions.rank(
      ['b:BTC', 'c:BTC', 'a:BTC'].map((k) => m!.targets.get(k)!),
      'b pays more',
    );
    await waitFor(() => m!.proxy.summary().routes[0]?.target === 'b:BTC', { what: 'route on b' });
    m.advance(4000);
    const report = await waitFor(() => m!.reports.switches.find((r) => r.to === 'c:BTC'));
    assert.equal(report.from, 'a:BTC');
    assert.equal(report.trigger, 'failover');
    assert.deepEqual(
      m.reports.switches.map((r) => `${r.from}>${r.to}`),
      ['a:BTC>c:BTC'],
    );
  });

  it('back on the pool its miners never left after a switch cut short: the dwell counts from when they came', async () => {
    m = await memoryProxy({
      pools: [{ poolKey: 'a:BTC' }, { poolKey: 'b:BTC' }],
      timings: { failoverAfterS: 3, upstreamTimeoutMs: 120_000, downRetryS: 600 },
    });
    m.decisions.rank([m.targets.get('a:BTC')!]);
    await m.miner();
    assert.equal(m.proxy.summary().routes[0]?.target, 'a:BTC');
    const sinceOf = async () => {
      const asked = m!.decisions.asked.length;
      m!.decisions.emit({ kind: 'rankings-changed' });
      const q = await waitFor(() => m!.decisions.asked[asked], { what: 'the next decision asked' });
      assert.equal(q.current?.poolKey, 'a:BTC');
      return q.current!.since.getTime();
    };
    const arrived = await sinceOf();
    m.advance(10_000);
    m.pools.get('b:BTC')!.stall();
    m.decisions.rank(
      ['b:BTC', 'a:BTC'].map((k) => m!.targets.get(k)!),
      'b pays more',
    );
    await waitFor(() => m!.proxy.summary().routes[0]?.target === 'b:BTC', { what: 'route on b' });
    m.advance(4000);
    await waitFor(() => m!.proxy.summary().routes[0]?.target === 'a:BTC', { what: 'back on a' });
    assert.equal(await sinceOf(), arrived, 'since the miners came to a, not since the attempt on b ended');
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

  it('a pool leaving the miner under 2 bytes of extranonce2 (cgminer’s floor) is marked down too', async () => {
    // k = 1 and n2_up = 2: one byte would be left, which cgminer refuses at subscribe and cpuminer-opt in set_extranonce.
    m = await memoryProxy({
      pools: [{ poolKey: 'small:BTC', options: { extranonce2Size: 2 } }, { poolKey: 'a:BTC' }],
    });
    const { client, extranonce2Size } = await m.miner();
    await waitFor(() => client.calls('mining.notify').length > 0);
    assert.equal(extranonce2Size, 3);
    assert.equal(client.calls('mining.set_extranonce').length + client.calls('client.reconnect').length, 0);
    const summary = m.proxy.summary();
    assert.equal(summary.routes[0]?.target, 'a:BTC');
    assert.match(
      summary.pools.find((p) => p.poolKey === 'small:BTC')?.down ?? '',
      /extranonce2_size 2 leaves no room for 1 prefix bytes and 2 for the miner/,
    );
  });
});

describe('route logging', () => {
  it('says a decision outage once at warn, its retries at debug, and its end at info', async () => {
    const lines: { level: number; msg: string; failures?: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    m = await memoryProxy({ logger, timings: { decisionIntervalS: 60 } });
    await m.miner();
    const about = (msg: string) => lines.filter((l) => l.msg === msg);
    m.decisions.failing = 'API down';
    for (let retry = 1; retry <= 4; retry++) {
      const asked = m.decisions.asked.length;
      m.advance(60_000);
      await waitFor(() => about('decision unavailable; keeping the current target').length === retry, {
        what: `failure ${retry} logged`,
      });
      assert.ok(m.decisions.asked.length > asked);
    }
    const failures = about('decision unavailable; keeping the current target');
    assert.deepEqual(
      failures.map((l) => [l.level, l.failures]),
      [
        [40, 1],
        [20, 2],
        [20, 3],
        [20, 4],
      ],
    );
    m.decisions.failing = undefined;
    m.advance(60_000);
    const back = await waitFor(() => about('decision available again')[0], { what: 'recovery logged' });
    assert.equal(back.level, 30);
    assert.equal(back.failures, 4);
  });
});
