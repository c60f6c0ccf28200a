import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { decodeV1Call, type NotifyParams } from '@smart-mining/stratum';
import { SIM_DIFFICULTY, waitFor } from '@smart-mining/testkit';
import { type MemoryProxy, memoryProxy } from '../../test/memory-proxy.ts';
import { findShare } from '../../test/share-finder.ts';
import { MINER_METHODS } from './handlers/index.ts';

let m: MemoryProxy | undefined;
afterEach(async () => {
  await m?.stop();
  m = undefined;
});

const limits = {
  handshakeTimeoutS: 30,
  idleTimeoutS: 600,
  partialLineTimeoutS: 20,
  badLinesBeforeClose: 3,
  messagesPerS: 10,
  messageBurst: 20,
  maxLineBytes: 2048,
  maxConnectionsPerIp: 3,
  maxWriteBufferBytes: 64 * 1024,
};

const decodeNotify = (params: unknown): NotifyParams => {
  const call = decodeV1Call({ kind: 'notification', id: null, method: 'mining.notify', params }, 'pool');
  if (call.method !== 'mining.notify') throw new Error('not a notify');
  return call.params;
};

describe('miner session guards (one sweeper, no timer per connection)', () => {
  it('malformed JSON and wrong types are answered with error 20; too many in a row close the connection', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    c.write('this is not json\n');
    c.write('{"id":5,"method":"mining.submit","params":[1,2,3]}\n');
    await waitFor(() => c.messages.length === 2);
    assert.equal(c.messages[0]!.kind === 'error' && c.messages[0]!.error.code, 20);
    assert.match(c.messages[0]!.kind === 'error' ? c.messages[0]!.error.message : '', /not valid JSON/);
    assert.equal(c.messages[1]!.id, 5);
    assert.match(c.messages[1]!.kind === 'error' ? c.messages[1]!.error.message : '', /mining.submit/);
    assert.equal(c.closed, false);
    c.write('[]\n');
    await waitFor(() => c.closed, { what: 'closed after three bad lines in a row' });
  });

  it('a good line between bad ones resets the count', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    for (let i = 0; i < 4; i++) {
      c.write('garbage\n');
      await c.request('keepalived');
    }
    assert.equal(c.closed, false);
  });

  it('a line over the cap is answered with error 20 and dropped up to its newline', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    c.write(`{"id":1,"method":"mining.subscribe","params":["${'a'.repeat(4000)}"]}\n`);
    const answer = await waitFor(() => c.messages[0]);
    assert.match(answer.kind === 'error' ? answer.error.message : '', /line longer than the maximum length/);
    assert.equal((await c.request('keepalived')).kind, 'response');
  });

  it('a flood past the token bucket is told and closed', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    c.write('{"id":1,"method":"keepalived","params":[]}\n'.repeat(50));
    await waitFor(() => c.closed);
    const last = c.messages.at(-1)!;
    assert.match(last.kind === 'error' ? last.error.message : '', /Rate limit/);
    assert.equal(c.messages.length, 21);
    assert.equal(m.proxy.summary().counters.closedBy.flood, 1);
  });

  it('the bucket refills with time', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    c.write('{"id":1,"method":"keepalived","params":[]}\n'.repeat(20));
    await waitFor(() => c.messages.length === 20);
    m.advance(1000);
    c.write('{"id":2,"method":"keepalived","params":[]}\n'.repeat(10));
    await waitFor(() => c.messages.length === 30);
    assert.equal(c.closed, false);
  });

  it('no authorize within the handshake timeout: closed', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    await c.request('mining.subscribe', []);
    m.advance(29_000);
    assert.equal(c.closed, false);
    m.advance(1000);
    await waitFor(() => c.closed);
    assert.equal(m.proxy.summary().counters.closedBy['handshake-timeout'], 1);
  });

  it('authorized but never subscribed within the handshake timeout: closed (it has no lane, no job, no route)', async () => {
    m = await memoryProxy({ listener: { limits } });
    const c = m.connect();
    const auth = await c.request('mining.authorize', ['acct.rig1', 'x']);
    assert.equal(auth.kind === 'response' && auth.result, true);
    m.advance(29_000);
    await c.request('keepalived');
    assert.equal(c.closed, false);
    m.advance(1000);
    await waitFor(() => c.closed);
    assert.equal(m.proxy.summary().counters.closedBy['handshake-timeout'], 1);
  });

  it('an authorized miner may stay quiet for minutes; past the idle timeout it is closed', async () => {
    m = await memoryProxy({ listener: { limits } });
    const { client } = await m.miner();
    m.advance(300_000);
    await client.request('keepalived');
    m.advance(599_000);
    assert.equal(client.closed, false);
    m.advance(1000);
    await waitFor(() => client.closed);
  });

  it('a miner silent for longer than the idle timeout while work keeps reaching it stays: shares are rare at a high difficulty', async () => {
    // A Bitaxe sends nothing but shares (no keepalive). On a shared upstream the pool sets one difficulty for the
    // whole lane's hashrate, so each miner's shares come that many times further apart: minutes, or more.
    m = await memoryProxy({ listener: { limits } });
    const { client, extranonce1 } = await m.miner('acct.axe');
    const pool = m.pools.get('a:BTC')!;
    for (let minute = 1; minute <= 15; minute++) {
      pool.pushJob({ clean: false });
      await waitFor(() => client.calls('mining.notify').length > minute, {
        what: `job of minute ${minute} (the miner still connected)`,
        timeoutMs: 10_000,
      });
      m.advance(60_000);
    }
    assert.equal(client.closed, false, 'kept through 15 silent minutes of jobs');
    const job = decodeNotify(client.calls('mining.notify').at(-1)!.params);
    const share = findShare('sha256d', job, extranonce1, '000001', SIM_DIFFICULTY.sha256d);
    const answer = await client.request('mining.submit', ['acct.axe', job.jobId, ...Object.values(share)]);
    assert.equal(answer.kind === 'response' && answer.result, true);
    // Nothing either way for the idle timeout (its pool sends nothing): now it is idle.
    m.advance(600_000);
    await waitFor(() => client.closed, { what: 'closed when nothing went either way' });
    assert.equal(m.proxy.summary().counters.closedBy['idle-timeout'], 1);
  });

  it('slow-loris: a partial line pending past its timeout closes the connection', async () => {
    m = await memoryProxy({ listener: { limits } });
    const { client } = await m.miner();
    client.write('{"id":9,"method":"mining.sub');
    await new Promise((resolve) => setImmediate(resolve));
    m.advance(10_000);
    client.write('mit","par');
    await new Promise((resolve) => setImmediate(resolve));
    m.advance(10_000);
    await waitFor(() => client.closed);
    assert.equal(m.proxy.summary().counters.closedBy['partial-line-timeout'], 1);
  });

  it('per-address connection limit: the connection over it gets one error line and is closed', async () => {
    m = await memoryProxy({ listener: { limits } });
    const kept = [m.connect(), m.connect(), m.connect()];
    const refused = m.connect();
    await waitFor(() => refused.closed);
    assert.match(
      refused.messages[0]?.kind === 'error' ? refused.messages[0].error.message : '',
      /Too many connections/,
    );
    assert.equal(m.connect({ remoteAddress: '10.0.0.2' }).closed, false);
    kept[0]!.stream.destroy();
    await waitFor(() => m!.proxy.summary().connections === 3);
    const again = m.connect();
    assert.equal((await again.request('keepalived')).kind, 'response');
  });

  it('a fault inside a handler answers error 20 to that miner only and logs it; the process and others go on', async () => {
    m = await memoryProxy({ listener: { limits } });
    const other = await m.miner('acct.other');
    const c = m.connect();
    const original = MINER_METHODS.keepalived.handle;
    MINER_METHODS.keepalived.handle = () => {
      throw new Error('boom');
    };
    try {
      const answer = await c.request('keepalived');
      assert.match(answer.kind === 'error' ? answer.error.message : '', /Internal error/);
    } finally {
      MINER_METHODS.keepalived.handle = original;
    }
    assert.equal(c.closed, false);
    assert.equal((await other.client.request('mining.ping')).kind, 'response');
  });
});
