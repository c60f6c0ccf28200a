import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parseSubscribeResult, type RpcMessage } from '@smart-mining/stratum';
import { waitFor } from '@smart-mining/testkit';
import { Registry } from 'prom-client';
import { DuplexClient, type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';
import { registerProxyMetrics } from '../stats/proxy-metrics.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const errorOf = (msg: RpcMessage) => (msg.kind === 'error' ? msg.error : undefined);

describe('miner session: handshake methods', () => {
  it('subscribe gives X (k bytes) and n2′; a resumed session id gets the same X back', async () => {
    m = await memoryProxy({ listener: { prefixBytes: 2, extranonce2Size: 4 } });
    const first = m.connect();
    const answer = await first.request('mining.subscribe', ['cpuminer/2.5.1']);
    assert.equal(answer.kind, 'response');
    const sub = parseSubscribeResult((answer as { result: unknown }).result);
    assert.equal(sub.extranonce1.length, 4);
    assert.equal(sub.extranonce2Size, 4);
    const sessionId = sub.subscriptions.find(([method]) => method === 'mining.notify')?.[1];
    first.stream.destroy();
    await waitFor(() => m!.proxy.summary().connections === 0);

    const again = m.connect();
    const resumed = await again.request('mining.subscribe', ['cpuminer/2.5.1', sessionId]);
    assert.equal(parseSubscribeResult((resumed as { result: unknown }).result).extranonce1, sub.extranonce1);
    const other = m.connect();
    const fresh = await other.request('mining.subscribe', ['cpuminer/2.5.1', sessionId]);
    assert.notEqual(parseSubscribeResult((fresh as { result: unknown }).result).extranonce1, sub.extranonce1);
  });

  it('subscribe never fails on what its params hold (an object, numbers, extra entries), as pools answer it', async () => {
    m = await memoryProxy();
    for (const params of ['{"agent":"x"}', '[42, 7]', '["cgminer/4.12.1", null, "host", 3333]', 'null']) {
      const c = m.connect();
      c.write(`{"id":1,"method":"mining.subscribe","params":${params}}\n`);
      const answer = await c.answer(1);
      assert.equal(answer.kind, 'response', params);
      assert.equal(parseSubscribeResult((answer as { result: unknown }).result).extranonce2Size, 3);
    }
  });

  it('authorize: unknown account, profile, hardware and options are refused with the reason (24, result false)', async () => {
    m = await memoryProxy();
    const c = m.connect();
    await c.request('mining.subscribe', []);
    const cases: [string, string, RegExp][] = [
      ['nobody.rig', 'x', /unknown account or wallet "nobody"/],
      ['acct.rig', 'p=no-such-profile', /unknown profile "no-such-profile"/],
      ['acct.rig', 'hw=toaster', /unknown hardware "toaster"/],
      ['acct.rig', 'd=-3', /not a positive difficulty/],
      ['acct.rig', 'q=1', /unknown password option "q"/],
      ['bad name!.rig', 'x', /not a valid name/],
    ];
    for (const [user, password, why] of cases) {
      const answer = await c.request('mining.authorize', [user, password]);
      assert.equal(answer.kind, 'error', user);
      assert.equal((answer as { result: unknown }).result, false);
      assert.equal(errorOf(answer)?.code, 24);
      assert.match(errorOf(answer)!.message, why);
    }
    // The operator sees them too: only the miner gets the reason.
    assert.equal(m.proxy.summary().counters.loginsRefused, cases.length);
    const registry = new Registry();
    registerProxyMetrics(registry, () => m!.proxy.summary());
    assert.match(
      await registry.metrics(),
      new RegExp(`^sm_proxy_logins_refused_total ${cases.length}$`, 'm'),
    );
    const ok = await c.request('mining.authorize', ['acct.rig', 'p=max-usd-hashrate,hw=cpu,d=0.5']);
    assert.equal(ok.kind, 'response');
    assert.equal((ok as { result: unknown }).result, true);
    const route = await waitFor(() => m!.proxy.summary().routes[0]);
    assert.equal(route.profile, 'max-usd-hashrate');
    assert.equal(route.hardware, 'cpu');
    assert.deepEqual(m.decisions.asked[0]?.route, {
      profile: 'max-usd-hashrate',
      hardware: 'cpu',
      algorithms: ['sha256d'],
      account: 'acct',
    });
  });

  it('several workers of one account authorize on one connection (as through a farm proxy); another account is refused', async () => {
    m = await memoryProxy();
    const c = m.connect();
    await c.request('mining.subscribe', []);
    // Written at once: the second and third are answered with the first's verdict, which is still pending.
    c.write(
      [
        { id: 'a', method: 'mining.authorize', params: ['acct.rig1', 'x'] },
        { id: 'b', method: 'mining.authorize', params: ['acct.rig2', '123'] },
        { id: 'c', method: 'mining.authorize', params: ['acct.rig1', 'x'] },
      ]
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
    );
    for (const id of ['a', 'b', 'c']) assert.equal(DuplexClient.outcome(await c.answer(id)), true, id);
    assert.equal(DuplexClient.outcome(await c.request('mining.authorize', ['acct.rig-3', ''])), true);
    for (const [user, password, why] of [
      ['nobody.rig', 'x', /another account or options need a connection of their own/],
      ['acct.rig4', 'd=2048', /another account or options/],
      ['acct.rig 5', 'x', /worker name "rig 5" is not valid/],
    ] as const) {
      const answer = await c.request('mining.authorize', [user, password]);
      assert.equal(errorOf(answer)?.code, 24, user);
      assert.match(errorOf(answer)!.message, why);
    }
    assert.equal(m.proxy.summary().routes.length, 1);
  });

  it('authorize before subscribe is taken (as miningcore and public-pool do): jobs follow the subscribe', async () => {
    m = await memoryProxy();
    const c = m.connect();
    assert.equal(DuplexClient.outcome(await c.request('mining.authorize', ['acct.rig', 'x'])), true);
    const share = ['acct.rig', '1', '000000', '5f5e1000', '00000001'];
    assert.equal(errorOf(await c.request('mining.submit', share))?.code, 25);
    assert.equal(c.calls('mining.notify').length, 0);
    await c.request('mining.subscribe', []);
    await waitFor(() => c.calls('mining.notify').length > 0, { what: 'a job after the subscribe' });
    assert.equal(m.proxy.summary().miners.mining, 1);
    // A refused login before subscribe leaves the connection as it was: subscribe, then authorize again.
    const other = m.connect();
    assert.equal(errorOf(await other.request('mining.authorize', ['nobody.rig', 'x']))?.code, 24);
    await other.request('mining.subscribe', []);
    assert.equal(DuplexClient.outcome(await other.request('mining.authorize', ['acct.rig2', 'x'])), true);
    await waitFor(() => other.calls('mining.notify').length > 0, { what: 'the second miner’s job' });
  });

  it('submit before subscribe: 25; submit before authorize: 24', async () => {
    m = await memoryProxy();
    const c = m.connect();
    const share = ['acct.rig', '1', '000000', '5f5e1000', '00000001'];
    assert.equal(errorOf(await c.request('mining.submit', share))?.code, 25);
    await c.request('mining.subscribe', []);
    assert.equal(errorOf(await c.request('mining.submit', share))?.code, 24);
  });

  it('configure (BIP 310): mask = miner ∩ listener before a pool, narrowed by set_version_mask to the pool’s', async () => {
    m = await memoryProxy({ pools: [{ poolKey: 'a:BTC', options: { versionMask: 0x00ffe000 } }] });
    const c = m.connect();
    const answer = await c.request('mining.configure', [
      ['version-rolling', 'subscribe-extranonce', 'minimum-difficulty'],
      { 'version-rolling.mask': 'ffffffff', 'minimum-difficulty.value': 2048 },
    ]);
    assert.deepEqual((answer as { result: unknown }).result, {
      'version-rolling': true,
      'version-rolling.mask': '1fffe000',
      'subscribe-extranonce': true,
      'minimum-difficulty': false,
    });
    await c.request('mining.subscribe', []);
    await c.request('mining.authorize', ['acct.rig', 'x']);
    const narrowed = await waitFor(() => c.calls('mining.set_version_mask')[0]);
    assert.deepEqual(narrowed.params, ['00ffe000']);
  });

  it('extranonce.subscribe, suggest_difficulty (string or number) and suggest_target, keepalived and mining.ping are answered locally', async () => {
    m = await memoryProxy();
    const c = m.connect();
    assert.equal((await c.request('mining.extranonce.subscribe')).kind, 'response');
    assert.equal((await c.request('mining.suggest_difficulty', ['512.000000'])).kind, 'response');
    assert.equal((await c.request('mining.suggest_difficulty', [1000])).kind, 'response');
    assert.equal((await c.request('mining.suggest_difficulty', ['not a number'])).kind, 'response');
    const target = '00000000ffff0000000000000000000000000000000000000000000000000000';
    assert.equal(DuplexClient.outcome(await c.request('mining.suggest_target', [target])), true);
    assert.equal((await c.request('keepalived')).kind, 'response');
    assert.equal(((await c.request('mining.ping')) as { result: unknown }).result, 'pong');
  });

  it('unknown methods (and pool-side methods sent by a miner) get error 20, never forwarded; unknown pushes are ignored', async () => {
    m = await memoryProxy();
    const c = m.connect();
    for (const method of ['mining.get_transactions', 'mining.notify', 'client.reconnect']) {
      const answer = await c.request(method, ['x']);
      assert.equal(errorOf(answer)?.code, 20, method);
      assert.match(errorOf(answer)!.message, /Unknown method/);
    }
    c.write('{"id":null,"method":"mining.whatever","params":[]}\n');
    assert.equal((await c.request('keepalived')).kind, 'response');
    const pool = m.pools.get('a:BTC')!;
    for (const conn of pool.connections.values()) {
      assert.ok(!conn.methodsSeen.some((x) => x === 'mining.get_transactions'));
    }
  });

  it('answers from the miner (to get_version or ping) are taken quietly', async () => {
    m = await memoryProxy();
    const c = m.connect();
    c.write('{"id":7,"result":"cpuminer/2.5.1","error":null}\n');
    assert.equal((await c.request('keepalived')).kind, 'response');
    assert.equal(c.messages.filter((x) => x.id === 7).length, 0);
  });
});
