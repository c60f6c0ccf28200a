import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  encodeGetVersion,
  encodeReconnect,
  encodeShowMessage,
  type NotifyParams,
} from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { DuplexClient, type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';
import { findShare } from '../../test/share-finder.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const jobs = (c: DuplexClient) => c.jobs();

const submit = (
  c: DuplexClient,
  job: NotifyParams,
  s: { extranonce2: string; ntime: string; nonce: string },
) => c.request('mining.submit', ['acct.w1', job.jobId, s.extranonce2, s.ntime, s.nonce]);

const resultOf = DuplexClient.outcome;

describe('upstream: what the pool says', () => {
  it('set_difficulty applies from the next job, sent to the miner just before it', async () => {
    m = await memoryProxy();
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    pool.setDifficulty(SIM_DIFFICULTY.sha256d * 2);
    assert.equal(client.calls('mining.set_difficulty').length, 1);
    pool.pushJob();
    await waitFor(() => jobs(client).length === 2);
    const order = client.messages.filter((x) => 'method' in x).map((x) => ('method' in x ? x.method : ''));
    assert.deepEqual(order.slice(-2), ['mining.set_difficulty', 'mining.notify']);
    assert.deepEqual(client.calls('mining.set_difficulty').at(-1)?.params, [SIM_DIFFICULTY.sha256d * 2]);
  });

  it('mining.set_extranonce from the pool: miners get a clean job with the new E1 folded in; shares still accepted', async () => {
    m = await memoryProxy();
    const { client, extranonce1 } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    const before = jobs(client).at(-1)!;
    // The proxy asks for extranonce changes once subscribed; the miner's first job may arrive before the pool reads it.
    await waitFor(() => [...pool.connections.values()][0]?.extranonceSubscribed);
    const told = pool.setExtranonce();
    assert.equal(told.length, 1);
    await waitFor(() => jobs(client).length === 2);
    const after = jobs(client).at(-1)!;
    assert.equal(after.cleanJobs, true);
    assert.ok(after.coinb1.endsWith(`${told[0]!.extranonce1}00000000`));
    assert.notEqual(after.coinb1, before.coinb1);
    assert.equal(
      client.calls('mining.set_extranonce').length,
      0,
      'the miner’s own extranonce does not change',
    );
    const share = findShare('sha256d', after, extranonce1, '0000aa', SIM_DIFFICULTY.sha256d);
    assert.equal(resultOf(await submit(client, after, share)), true);
    assert.equal(
      resultOf(
        await submit(
          client,
          before,
          findShare('sha256d', before, extranonce1, '0000ab', SIM_DIFFICULTY.sha256d),
        ),
      ),
      21,
    );
  });

  it('mining.set_version_mask from the pool narrows the miners’ masks at once (BIP 310)', async () => {
    m = await memoryProxy();
    const c = m.connect();
    await c.request('mining.configure', [['version-rolling'], { 'version-rolling.mask': '1fffe000' }]);
    await c.request('mining.subscribe', []);
    await c.request('mining.authorize', ['acct.w1', 'x']);
    await waitFor(() => jobs(c).length > 0);
    m.pools.get('a:BTC')!.setVersionMask(0x00006000);
    const narrowed = await waitFor(() => c.calls('mining.set_version_mask')[0]);
    assert.deepEqual(narrowed.params, ['00006000']);
  });

  it('client.show_message is relayed to the miners; client.get_version is answered by the proxy', async () => {
    m = await memoryProxy();
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    pool.broadcast(encodeShowMessage('maintenance at noon'));
    pool.broadcast(encodeGetVersion(77));
    const shown = await waitFor(() => client.calls('client.show_message')[0]);
    assert.deepEqual(shown.params, ['maintenance at noon']);
    const conn = [...pool.connections.values()][0]!;
    const version = await waitFor(() => conn.answers.find((a) => a.id === 77));
    assert.equal(version.kind === 'response' && version.result, 'smart-mining-proxy/0.1');
    assert.equal(client.calls('client.get_version').length, 0);
  });

  it('client.reconnect from the pool to an unknown address: the proxy reconnects to its own endpoint only', async () => {
    const dialed: string[] = [];
    m = await memoryProxy({ timings: { reconnectMinMs: 1 } });
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    const original = [...pool.connections.keys()];
    pool.broadcast(encodeReconnect('evil.example', 6666, 0));
    await waitFor(() => [...pool.connections.keys()].some((id) => !original.includes(id)));
    await waitFor(() => jobs(client).length >= 2);
    for (const u of m.proxy.summary().upstreams) dialed.push(u.endpoint);
    assert.deepEqual(dialed, ['127.0.0.1:1']);
    assert.equal(client.closed, false);
  });

  it('a stalled pool: the share waiting for its verdict is answered 21 and counted stale; the upstream reconnects', async () => {
    m = await memoryProxy({ timings: { upstreamTimeoutMs: 5000, reconnectMinMs: 1 } });
    const { client, extranonce1 } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    const job = jobs(client).at(-1)!;
    pool.stall();
    const pending = submit(
      client,
      job,
      findShare('sha256d', job, extranonce1, '000001', SIM_DIFFICULTY.sha256d),
    );
    await waitFor(() => pool.connections.values().next().value!.ignoredWhileStalled > 0);
    m.advance(3000);
    m.advance(3000);
    assert.equal(resultOf(await pending), 21);
    assert.equal(m.proxy.summary().pools.find((p) => p.poolKey === 'a:BTC')?.stale, 1);
    pool.resume();
    // A reconnect made while the pool was still stalled times out its handshake and tries again.
    m.advance(6000);
    await waitFor(() => jobs(client).length >= 2, { what: 'a clean job after the reconnect' });
    assert.equal(jobs(client).at(-1)?.cleanJobs, true);
  });

  it('lines a pool garbles are skipped; the next job still arrives', async () => {
    m = await memoryProxy();
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    pool.sendGarbage();
    pool.sendGarbage('{"id":null,"method":"mining.notify","params":[1,2]}\n');
    pool.pushJob();
    await waitFor(() => jobs(client).length === 2);
  });

  it('an upstream nobody uses closes after the grace period', async () => {
    m = await memoryProxy({ timings: { graceS: 15 } });
    const { client } = await m.miner();
    const pool = m.pools.get('a:BTC')!;
    client.stream.destroy();
    await waitFor(() => m!.proxy.summary().connections === 0);
    m.advance(10_000);
    assert.equal(m.proxy.summary().upstreams.length, 1);
    m.advance(6000);
    assert.equal(m.proxy.summary().upstreams.length, 0);
    await waitFor(() => pool.connections.size === 0);
  });
});
