// Pools the proxy has never seen (stratum.md §1–2): subscribe answers of every shape, pushes at odd moments, submit
// verdicts in every wire style. A script pool answers as each real pool might; a raw miner mines through the proxy.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { difficultyLine, notifyLine, scriptJob } from './script-pool.ts';
import { DIFF, mineOne, outcome, shapedPool, useScriptProxy } from './script-proxy.ts';
import { findShare } from './share-finder.ts';

const sp = useScriptProxy();

describe('subscribe answers of every shape', () => {
  for (const e1 of ['', 'ab', '0102030405060708']) {
    for (const n2 of [4, 8, 16]) {
      it(`extranonce1 of ${e1.length / 2} bytes, extranonce2_size ${n2}: shares forwarded whole`, async () => {
        const pool = await shapedPool({ extranonce1: e1, extranonce2Size: n2 });
        await sp.start(pool);
        const m = await sp.miner();
        const { answer, share, upstream } = await mineOne(m, pool);
        assert.equal(outcome(answer), true);
        const sent = upstream?.params as string[];
        assert.equal(sent[2]?.length, 2 * n2);
        assert.ok(sent[2]!.endsWith(m.extranonce1 + share.extranonce2));
        const job = m.jobs().at(-1)!;
        assert.ok(job.params.coinb1.includes(e1));
      });
    }
  }

  for (const [name, shape] of [
    ['no subscriptions', (e1: string, n2: number) => [[], e1, n2]],
    ['only notify, flat pair', (e1: string, n2: number) => [['mining.notify', 'x1'], e1, n2]],
    ['null subscriptions', (e1: string, n2: number) => [null, e1, n2]],
  ] as const) {
    it(`${name}: mining works`, async () => {
      const pool = await shapedPool({ subscribeResult: shape });
      await sp.start(pool);
      const m = await sp.miner();
      assert.equal(outcome((await mineOne(m, pool)).answer), true);
    });
  }
});

describe('pushes at odd moments', () => {
  it('jobs and difficulty before the authorize answer', async () => {
    const pool = await shapedPool({
      onAuthorize(req, conn, job) {
        conn.say(difficultyLine(DIFF));
        conn.say(notifyLine(job));
        setTimeout(() => conn.say({ id: req.id, result: true, error: null }), 50);
      },
    });
    await sp.start(pool);
    const m = await sp.miner();
    assert.equal(outcome((await mineOne(m, pool)).answer), true);
  });

  it('difficulty and job before the subscribe answer, and no job after: the miner mines that job', async () => {
    // Some pools write a connection's first work as soon as it is open, ahead of the subscribe answer.
    const pool = await shapedPool({
      onRequest(req, conn) {
        if (req.method === 'mining.subscribe') {
          conn.say(difficultyLine(DIFF));
          conn.say(notifyLine(scriptJob(`early${conn.id}`)));
          conn.say({ id: req.id, result: [[['mining.notify', 'ae68']], 'f000000a', 8], error: null });
          return true;
        }
        if (req.method !== 'mining.authorize') return false;
        conn.say({ id: req.id, result: true, error: null });
        return true;
      },
    });
    await sp.start(pool);
    const m = await sp.miner();
    const { answer, job, upstream } = await mineOne(m, pool);
    assert.equal(job.difficulty, DIFF);
    assert.equal(outcome(answer), true);
    assert.equal((upstream?.params as string[] | undefined)?.[1], 'early1');
  });

  it('a job before the subscribe answer of a new connection: the miners mine it with the new extranonce1', async () => {
    const pool = await shapedPool({
      onRequest(req, conn) {
        if (req.method !== 'mining.subscribe' || conn.id === 1) return false;
        conn.say(notifyLine(scriptJob(`early${conn.id}`)));
        conn.say({ id: req.id, result: [[['mining.notify', 'ae68']], 'f000000b', 8], error: null });
        return true;
      },
      onAuthorize(req, conn, job) {
        conn.say(difficultyLine(DIFF));
        if (conn.id === 1) conn.say(notifyLine(job));
        conn.say({ id: req.id, result: true, error: null });
      },
    });
    await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
    const m = await sp.miner();
    assert.equal(outcome((await mineOne(m, pool, '0000a1')).answer), true);
    pool.connections[0]!.socket.destroy();
    await waitFor(() => m.jobs().at(-1)?.params.coinb1.includes('f000000b'), {
      what: 'a job of the second connection',
      timeoutMs: 10_000,
    });
    const { answer, upstream } = await mineOne(m, pool, '0000a2');
    assert.equal(outcome(answer), true);
    assert.equal((upstream?.params as string[] | undefined)?.[1], 'early2');
  });

  it('set_difficulty after the first notify: the job is mined at the pool’s difficulty, never at 1', async () => {
    const pool = await shapedPool({
      onAuthorize(req, conn, job) {
        conn.say({ id: req.id, result: true, error: null });
        conn.say(notifyLine(job));
        conn.say(difficultyLine(DIFF));
      },
    });
    await sp.start(pool);
    const m = await sp.miner();
    const job = await waitFor(() => m.jobs().find((j) => j.difficulty === DIFF), {
      what: 'a job at the pool difficulty',
      timeoutMs: 10_000,
    });
    assert.equal(job.params.cleanJobs, true);
    const share = findShare('sha256d', job.params, m.extranonce1, '0000aa', DIFF);
    assert.equal(outcome(await m.submit(job.params.jobId, share)), true);
    assert.equal(pool.requests('mining.submit').length, 1);
  });
});

describe('authorize answers in every style', () => {
  for (const [name, result] of [
    ['result null, error null (p2pool nodes)', null],
    ['result as a string', 'ok'],
  ] as const) {
    it(`${name}: logged in, as cpuminer and cgminer read it (only false or an error refuses)`, async () => {
      const pool = await shapedPool({
        onAuthorize(req, conn, job) {
          conn.say({ id: req.id, result, error: null });
          conn.say(difficultyLine(DIFF));
          conn.say(notifyLine(job));
        },
      });
      await sp.start(pool);
      const m = await sp.miner();
      assert.equal(outcome((await mineOne(m, pool)).answer), true);
      assert.equal(pool.connections.length, 1);
    });
  }
});

describe('submit verdicts in every style', () => {
  const verdicts: [string, (id: unknown) => object, unknown][] = [
    ['result true, error null', (id) => ({ id, result: true, error: null }), true],
    ['result true, no error', (id) => ({ id, result: true }), true],
    ['result true, an empty error object', (id) => ({ id, result: true, error: {} }), true],
    ['result false, error null', (id) => ({ id, result: false, error: null }), 20],
    ['error array', (id) => ({ id, result: null, error: [23, 'Low difficulty share', null] }), 23],
    ['error object', (id) => ({ id, result: null, error: { code: 22, message: 'Duplicate share' } }), 22],
    ['error array, code as a string', (id) => ({ id, result: false, error: ['21', 'Stale', null] }), 21],
    ['error object without a code', (id) => ({ id, result: false, error: { message: 'Invalid share' } }), 20],
    ['error string', (id) => ({ id, result: false, error: 'Invalid nonce' }), 20],
    ['ckpool’s reject-reason', (id) => ({ id, result: false, error: null, 'reject-reason': 'Stale' }), 21],
    ['id echoed as a string', (id) => ({ id: String(id), result: true, error: null }), true],
  ];
  for (const [name, verdict, expected] of verdicts) {
    it(`${name}: the miner gets ${expected}`, async () => {
      const pool = await shapedPool({ onSubmit: (req, conn) => conn.say(verdict(req.id)) });
      await sp.start(pool, { timings: { upstreamTimeoutMs: 60_000 } });
      const m = await sp.miner();
      const { answer } = await mineOne(m, pool);
      assert.equal(outcome(answer), expected);
      assert.equal(pool.connections.length, 1, 'the pool connection stays');
    });
  }
});

describe('the login password a declared pool asks for', () => {
  it('the proxy logs in with the declared password (c=LTC), and with x where none is declared', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const declared = sp.h.directory.pools.get('x:BTC');
    assert.ok(declared !== undefined);
    declared.password = 'c=LTC,d=65536';
    const m = await sp.miner();
    const { answer } = await mineOne(m, pool);
    assert.equal(outcome(answer), true);
    assert.deepEqual(
      pool.requests('mining.authorize').map((r) => (r.params as unknown[])[1]),
      ['c=LTC,d=65536'],
    );
  });

  it('none declared: x', async () => {
    const pool = await shapedPool();
    await sp.start(pool);
    const m = await sp.miner();
    assert.equal(outcome((await mineOne(m, pool)).answer), true);
    assert.deepEqual(
      pool.requests('mining.authorize').map((r) => (r.params as unknown[])[1]),
      ['x'],
    );
  });
});
