// What an unseen pool pushes mid-run (stratum.md §2.1): requests of its own (answered, never forwarded), messages,
// client.reconnect (only ever to an address configured for it), new extranonces and difficulties, notify variants.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotifyParams } from '@smart-mining/stratum';
import { waitFor } from '@smart-mining/testkit';
import { difficultyLine, notifyLine, ScriptPool, scriptJob } from './script-pool.ts';
import { DIFF, mineOne, outcome, shapedPool, useScriptProxy } from './script-proxy.ts';
import { findShare } from './share-finder.ts';

const sp = useScriptProxy();

describe('requests from the pool', () => {
  it('mining.ping, client.get_version and an unknown request are answered; nothing reaches the miner', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const m = await sp.miner();
    await mineOne(m, pool);
    const conn = pool.open[0]!;
    conn.say({ id: 'p1', method: 'mining.ping', params: [] });
    conn.say({ id: 7, method: 'client.get_version', params: [] });
    conn.say({ id: 8, method: 'mining.get_transactions', params: ['x'] });
    conn.say({ id: 9, method: 'client.show_message', params: ['hello miners'] });
    await waitFor(() => conn.answers.length >= 4, { what: 'four answers', timeoutMs: 10_000 });
    const byId = new Map(conn.answers.map((a) => [a.id, a]));
    assert.equal(byId.get('p1')?.kind, 'response');
    assert.equal(outcome(byId.get(7)!), 'smart-mining-proxy/0.1');
    assert.equal(outcome(byId.get(8)!), 20);
    assert.equal(outcome(byId.get(9)!), true);
    const shown = await waitFor(() =>
      m.client.messages.find((x) => 'method' in x && x.method === 'client.show_message'),
    );
    assert.deepEqual('params' in shown && shown.params, ['hello miners']);
    for (const method of ['mining.ping', 'client.get_version', 'mining.get_transactions']) {
      assert.ok(!m.client.messages.some((x) => 'method' in x && x.method === method), method);
    }
    assert.equal(outcome((await mineOne(m, pool, '0000bb')).answer), true);
  });
});

describe('client.reconnect from the pool', () => {
  for (const [name, params] of [
    ['without host and port', []],
    ['with nulls', [null, null, 0]],
    ['to its own address', ['127.0.0.1', 'PORT', 0]],
    ['to a host not configured', ['203.0.113.9', 3333, 0]],
    ['to a port not configured', ['127.0.0.1', 1, 0]],
  ] as const) {
    it(`${name}: the proxy dials the configured endpoint again, the miner keeps mining`, async () => {
      const pool = await shapedPool();
      await sp.start(pool, { timings: { reconnectMinMs: 1 } });
      const m = await sp.miner();
      await mineOne(m, pool);
      const dialed: string[] = [];
      const p = params.map((x) => (x === 'PORT' ? pool.port : x));
      pool.open[0]!.say({ id: null, method: 'client.reconnect', params: p });
      await waitFor(() => pool.connections.length === 2, { what: 'a new connection', timeoutMs: 10_000 });
      for (const u of sp.h.proxy.summary().upstreams) dialed.push(u.endpoint);
      assert.deepEqual(dialed, [`127.0.0.1:${pool.port}`]);
      await waitFor(() => m.jobs().length > 1, { what: 'a job after the reconnect', timeoutMs: 10_000 });
      assert.equal(outcome((await mineOne(m, pool, '0000bb')).answer), true);
      assert.equal(m.client.closed, false);
    });
  }
});

describe('client.reconnect from a pool reached on its second endpoint', () => {
  for (const [name, params] of [
    ['without host and port', []],
    ['with nulls', [null, null, 0]],
    ['with the port alone', [null, 'PORT', 0]],
  ] as const) {
    it(`${name}: "unchanged" — the endpoint in use again, not the first one, which is down`, async (t) => {
      const dead = await ScriptPool.start((_req, conn) => conn.socket.destroy());
      t.after(() => dead.stop());
      const pool = await shapedPool();
      await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
      const target = sp.h.targets.get('x:BTC')!;
      target.endpoints = [{ ...target.endpoints[0]!, port: dead.port }, ...target.endpoints];
      const m = await sp.miner();
      await mineOne(m, pool);
      assert.equal(dead.connections.length, 1, 'the first endpoint was tried, and failed');
      const p = params.map((x) => (x === 'PORT' ? pool.port : x));
      pool.open[0]!.say({ id: null, method: 'client.reconnect', params: p });
      await waitFor(() => pool.open.length === 1 && pool.connections.length === 2, {
        what: 'a new connection to the endpoint in use',
        timeoutMs: 10_000,
      });
      assert.equal(dead.connections.length, 1, 'the endpoint that is down was not dialed again');
      await waitFor(() => m.jobs().length > 1, { what: 'a job after the reconnect', timeoutMs: 10_000 });
      assert.equal(outcome((await mineOne(m, pool, '0000bb')).answer), true);
    });
  }
});

describe('extranonce and difficulty changes', () => {
  for (const [size, fits] of [
    [12, true],
    [4, true],
  ] as const) {
    it(`mining.set_extranonce to size ${size}: the next job carries it, shares forwarded with it`, async () => {
      const pool = await shapedPool();
      await sp.start(pool);
      const m = await sp.miner();
      await mineOne(m, pool);
      const conn = pool.open[0]!;
      conn.say({ id: null, method: 'mining.set_extranonce', params: ['0badf00d', size] });
      const before = m.jobs().length;
      conn.say(notifyLine(scriptJob('after-xn')));
      await waitFor(() => m.jobs().length > before, { what: 'the next job', timeoutMs: 10_000 });
      const { answer, job } = await mineOne(m, pool);
      assert.equal(fits, true);
      assert.equal(outcome(answer), true);
      assert.ok(job.params.coinb1.includes('0badf00d'));
      assert.equal(pool.submitted()[2]?.length, 2 * size);
    });
  }

  it('mining.set_extranonce repeating the values in force before each job (some pools do): earlier jobs stay, their shares go up', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const m = await sp.miner();
    const first = await waitFor(() => m.jobs().at(-1), { what: 'a job', timeoutMs: 10_000 });
    const conn = pool.open[0]!;
    conn.say({ id: null, method: 'mining.set_extranonce', params: ['f000000a', 8] });
    const next = scriptJob('j2', { prevhash: first.params.prevhash, cleanJobs: false });
    conn.say(notifyLine(next));
    const second = await waitFor(() => m.jobs()[1], { what: 'the next job', timeoutMs: 10_000 });
    assert.equal(second.params.cleanJobs, false, 'not a new start: the pool did not clean');
    const share = findShare('sha256d', first.params, m.extranonce1, '0000b1', first.difficulty);
    const answer = await m.submit(first.params.jobId, share);
    assert.equal(outcome(answer), true, 'a share of the earlier job still counts at the pool');
    assert.equal(pool.submitted()[1], 'j1');
  });

  it('mining.set_extranonce to a size the miners’ n2′ does not fit: set_extranonce to those subscribed, client.reconnect to the others', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const opt = await sp.miner('acct.opt');
    assert.equal(outcome(await opt.client.request('mining.extranonce.subscribe', [])), true);
    const cpu = await sp.miner('acct.cpu');
    await mineOne(opt, pool);
    // k = 1 and n2′ = 3 need 4 bytes; 3 leave room for n2′ = 2.
    pool.open[0]!.say({ id: null, method: 'mining.set_extranonce', params: ['0badf00d', 3] });
    pool.open[0]!.say(notifyLine(scriptJob('small')));
    const told = await waitFor(
      () => opt.client.messages.find((x) => 'method' in x && x.method === 'mining.set_extranonce'),
      {
        timeoutMs: 10_000,
      },
    );
    assert.deepEqual('params' in told && told.params, [opt.extranonce1, 2]);
    const job = await waitFor(() => opt.jobs().find((j) => j.params.coinb1.includes('0badf00d')), {
      timeoutMs: 10_000,
    });
    const share = findShare('sha256d', job.params, opt.extranonce1, '00bb', job.difficulty);
    assert.equal(outcome(await opt.submit(job.params.jobId, share)), true);
    assert.equal(pool.submitted()[2], `${opt.extranonce1}00bb`);
    const reconnect = await waitFor(
      () => cpu.client.messages.find((x) => 'method' in x && x.method === 'client.reconnect'),
      {
        timeoutMs: 10_000,
      },
    );
    assert.deepEqual('params' in reconnect && reconnect.params, ['127.0.0.1', sp.h.port, 0]);
  });

  it('mining.set_extranonce that leaves no room at all: the pool is marked down and the miners fail over', async () => {
    const pool = await shapedPool();
    const next = await shapedPool({ extranonce1: 'e0000002' });
    await sp.start(pool, { next, timings: { failoverAfterS: 1 } });
    const m = await sp.miner();
    await mineOne(m, pool);
    pool.open[0]!.say({ id: null, method: 'mining.set_extranonce', params: ['0badf00d', 1] });
    pool.open[0]!.say(notifyLine(scriptJob('tiny')));
    const job = await waitFor(() => m.jobs().find((j) => j.params.coinb1.includes('e0000002')), {
      timeoutMs: 10_000,
    });
    const share = findShare('sha256d', job.params, m.extranonce1, '0000cc', job.difficulty);
    assert.equal(outcome(await m.submit(job.params.jobId, share)), true);
    assert.equal(next.requests('mining.submit').length, 1);
    assert.equal(m.client.closed, false);
  });

  it('fractional (0.001 × the test difficulty) and very large difficulties reach the miners as numbers', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const m = await sp.miner();
    await mineOne(m, pool);
    const conn = pool.open[0]!;
    for (const [i, d] of [DIFF / 1000, 2 ** 52, 1e15].entries()) {
      conn.say(difficultyLine(d));
      conn.say(notifyLine(scriptJob(`d${i}`, { cleanJobs: false })));
      await waitFor(() => m.jobs().some((j) => j.difficulty === d), {
        what: `difficulty ${d}`,
        timeoutMs: 10_000,
      });
    }
    assert.equal(pool.connections.length, 1, 'no reconnect');
  });
});

describe('notify variants', () => {
  const variants: [string, Partial<NotifyParams>][] = [
    ['no merkle branch', { merkleBranch: [] }],
    [
      'a long merkle branch (16)',
      { merkleBranch: Array.from({ length: 16 }, (_, i) => `${i}`.padStart(2, '0').repeat(32)) },
    ],
    ['uppercase hex', { version: '2000E000', nbits: '1703A30C', prevhash: 'AB'.repeat(32) }],
    ['a long coinb1, a short coinb2', { coinb1: `01${'00'.repeat(300)}`, coinb2: '00' }],
    ['not clean', { cleanJobs: false }],
  ];
  for (const [name, over] of variants) {
    it(`${name}: mined, forwarded, accepted`, async () => {
      const pool = await shapedPool();
      await sp.start(pool);
      const m = await sp.miner();
      await mineOne(m, pool);
      const before = m.jobs().length;
      pool.open[0]!.say(notifyLine(scriptJob('v1', { ...over })));
      await waitFor(() => m.jobs().length > before, { what: 'the job', timeoutMs: 10_000 });
      const { answer } = await mineOne(m, pool);
      assert.equal(outcome(answer), true);
      assert.equal(pool.submitted()[1], 'v1');
    });
  }
});
