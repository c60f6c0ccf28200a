// An unseen pool that misbehaves (stratum.md §1–2, §8.3): verdicts out of order, twice or never, connections
// closed at every step of the handshake or after a share, a refused login, a pool that closes on the NiceHash
// extranonce.subscribe. Miners stay connected, every share gets an answer, and the counters agree.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { TEST_TLS_CERT, TEST_TLS_KEY, waitFor } from '@smart-mining/testkit';
import type { PoolEndpoint } from '../src/ports.ts';
import { REJECTED_IN_A_ROW_BEFORE_DOWN } from '../src/upstream/upstream.ts';
import { testAccount } from './memory-ports.ts';
import {
  difficultyLine,
  notifyLine,
  type ScriptConnection,
  ScriptPool,
  type ScriptRequest,
  scriptJob,
} from './script-pool.ts';
import { DIFF, mineOne, outcome, shapedPool, useScriptProxy } from './script-proxy.ts';
import { findShare } from './share-finder.ts';

const sp = useScriptProxy();

const poolCounters = (poolKey = 'x:BTC') => sp.h.proxy.summary().pools.find((p) => p.poolKey === poolKey);

describe('submit verdicts out of the ordinary', () => {
  it('answered in reverse order: each miner share gets its own verdict', async () => {
    const held: ScriptRequest[] = [];
    const pool = await shapedPool({
      onSubmit(req, conn) {
        held.push(req);
        if (held.length < 2) return;
        conn.say({ id: held[1]!.id, result: null, error: [23, 'Low difficulty share', null] });
        conn.say({ id: held[0]!.id, result: true, error: null });
      },
    });
    await sp.start(pool, { timings: { upstreamTimeoutMs: 60_000 } });
    const m = await sp.miner();
    const job = await waitFor(() => m.jobs().at(-1), { timeoutMs: 10_000 });
    const a = findShare('sha256d', job.params, m.extranonce1, '0000a1', job.difficulty);
    const b = findShare('sha256d', job.params, m.extranonce1, '0000a2', job.difficulty);
    const [ra, rb] = await Promise.all([m.submit(job.params.jobId, a), m.submit(job.params.jobId, b)]);
    assert.equal(outcome(ra), true);
    assert.equal(outcome(rb), 23);
    const c = poolCounters();
    assert.equal(c?.accepted, 1);
    assert.equal(c?.rejected, 1);
  });

  it('a verdict sent twice: the second is ignored, the next share still gets its own', async () => {
    const pool = await shapedPool({
      onSubmit(req, conn) {
        conn.say({ id: req.id, result: true, error: null });
        conn.say({ id: req.id, result: null, error: [22, 'Duplicate share', null] });
      },
    });
    await sp.start(pool);
    const m = await sp.miner();
    assert.equal(outcome((await mineOne(m, pool, '0000a1')).answer), true);
    assert.equal(outcome((await mineOne(m, pool, '0000a2')).answer), true);
    assert.equal(poolCounters()?.accepted, 2);
    assert.equal(poolCounters()?.rejected, 0);
  });

  it('a verdict that never comes: the miner gets 21 after the timeout, counted stale, still connected', async () => {
    const pool = await shapedPool({ onSubmit() {} });
    await sp.start(pool, { timings: { upstreamTimeoutMs: 1000, reconnectMinMs: 1 } });
    const m = await sp.miner();
    const { answer } = await mineOne(m, pool);
    assert.equal(outcome(answer), 21);
    assert.equal(poolCounters()?.stale, 1);
    assert.equal(m.client.closed, false);
  });
});

describe('connections closed by the pool', () => {
  for (const [when, close] of [
    ['right after the subscribe answer', (r: ScriptRequest) => r.method === 'mining.subscribe'],
    ['on the authorize', (r: ScriptRequest) => r.method === 'mining.authorize'],
    ['after a share', (r: ScriptRequest) => r.method === 'mining.submit'],
  ] as const) {
    it(`${when}, the first time: the proxy reconnects, the miner mines on, each share answered`, async () => {
      let closed = false;
      const pool = await shapedPool({
        onRequest(req, conn) {
          if (closed || !close(req)) return false;
          closed = true;
          if (req.method === 'mining.subscribe') {
            conn.say({ id: req.id, result: [[], 'f000000a', 8], error: null });
          }
          conn.socket.destroy();
          return true;
        },
      });
      await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
      const m = await sp.miner();
      const first = await mineOne(m, pool, '0000a1');
      if (when === 'after a share') assert.equal(outcome(first.answer), 21);
      else assert.equal(outcome(first.answer), true);
      const jobs = when === 'after a share' ? 2 : 1;
      await waitFor(() => pool.open.length === 1 && m.jobs().length >= jobs, {
        what: 'a job on a new connection',
        timeoutMs: 10_000,
      });
      assert.equal(outcome((await mineOne(m, pool, '0000a2')).answer), true);
      assert.equal(m.client.closed, false);
    });
  }

  for (const [method, refusal] of [
    ['mining.extranonce.subscribe', undefined],
    ['mining.extranonce.subscribe', [20, 'Not supported.', null]],
    ['mining.configure', [20, 'Unknown method', null]],
  ] as const) {
    const how = refusal === undefined ? 'closes on' : 'refuses and then closes on';
    it(`a pool that ${how} ${method}: the next connection goes without it, and holds`, async () => {
      const pool = await shapedPool({
        onRequest(req, conn) {
          if (req.method !== method) return false;
          if (refusal !== undefined) conn.say({ id: req.id, result: null, error: refusal });
          conn.socket.destroy();
          return true;
        },
      });
      await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10 } });
      const m = await sp.miner();
      const second = await waitFor(() => pool.connections[1], {
        what: 'a second connection',
        timeoutMs: 10_000,
      });
      await waitFor(() => second.requests.some((r) => r.method === 'mining.authorize'), {
        timeoutMs: 10_000,
      });
      const fresh = scriptJob('fresh');
      second.say(notifyLine(fresh));
      await waitFor(() => m.jobs().at(-1)?.params.prevhash === fresh.prevhash, { timeoutMs: 10_000 });
      assert.equal(outcome((await mineOne(m, pool)).answer), true);
      assert.equal(pool.connections.length, 2, 'one connection lost, then one that holds');
      assert.ok(!pool.open[0]!.requests.some((r) => r.method === method));
    });
  }
});

describe('a pool that refuses the login', () => {
  it('authorize refused: a log line naming the pool and the wallet, and the route fails over', async () => {
    const refusing = await shapedPool({
      onAuthorize(req, conn) {
        conn.say({ id: req.id, result: null, error: [24, 'Invalid wallet address', null] });
      },
    });
    const good = await shapedPool();
    await sp.start(refusing, { next: good, timings: { failoverAfterS: 1 } });
    const m = await sp.miner();
    const { answer, upstream } = await mineOne(m, good);
    assert.equal(outcome(answer), true);
    assert.ok(upstream !== undefined);
    const down = await waitFor(() => sp.h.proxy.summary().upstreams.find((u) => u.poolKey === 'x:BTC'));
    assert.match(down.lastError ?? '', /authorize .* refused: Invalid wallet address/);
  });
});

/**
 * Pool x answers the login of account `bad` with `answer` (and nothing more for it): `bad`'s miner must fail over to
 * y, while account `acct`'s miner stays on x, gets x's next job, mines it there and never moves.
 */
async function downForOneAccount(answer: Record<string, unknown>, jobName: string): Promise<void> {
  const forBad = (req: ScriptRequest) => String((req.params as unknown[])[0]).startsWith('btcwalletbad.');
  const pool = await shapedPool({
    onRequest(req, conn) {
      if (req.method !== 'mining.authorize' || !forBad(req)) return false;
      conn.say({ id: req.id, ...answer });
      return true;
    },
  });
  const next = await shapedPool({ extranonce1: 'e0000002' });
  await sp.start(pool, { next, timings: { failoverAfterS: 1 } });
  sp.h.directory.accounts.set('bad', testAccount('bad', ['BTC']));
  const good = await sp.miner('acct.rig1');
  await mineOne(good, pool, '0000a1');
  const bad = await sp.miner('bad.rig1');
  await mineOne(bad, next);
  const failover = await waitFor(() => sp.h.reports.switches.find((r) => r.route.account === 'bad'));
  assert.equal(failover.to, 'y:BTC');

  const before = pool.requests('mining.submit').length;
  const fresh = scriptJob(jobName);
  for (const conn of pool.open) conn.say(notifyLine(fresh));
  await waitFor(() => good.jobs().at(-1)?.params.prevhash === fresh.prevhash, {
    what: 'the pool’s next job',
    timeoutMs: 10_000,
  });
  assert.equal(outcome((await mineOne(good, pool, '0000a2')).answer), true);
  assert.equal(pool.requests('mining.submit').length, before + 1);
  assert.equal(sp.h.proxy.summary().routes.find((r) => r.account === 'acct')?.target, 'x:BTC');
  assert.ok(!sp.h.reports.switches.some((r) => r.route.account === 'acct'));
}

describe('a login refused for one account', () => {
  it('marks the pool down for that account alone: the other accounts keep mining there', async () => {
    await downForOneAccount({ result: false, error: [24, 'Invalid wallet address', null] }, 'after-refusal');
  });
});

describe('a pool that logs in but sends no job', () => {
  it('counts as down: the route fails over to the next ranked pool, and the miner mines there', async () => {
    const idle = await shapedPool({
      onAuthorize(req, conn) {
        conn.say({ id: req.id, result: true, error: null });
      },
    });
    const next = await shapedPool({ extranonce1: 'e0000002' });
    await sp.start(idle, { next, timings: { failoverAfterS: 1 } });
    const m = await sp.miner();
    const { answer, job } = await mineOne(m, next);
    assert.ok(job.params.coinb1.includes('e0000002'));
    assert.equal(outcome(answer), true);
    const failover = await waitFor(() => sp.h.reports.switches.find((r) => r.to === 'y:BTC'));
    assert.equal(failover.trigger, 'failover');
  });
});

describe('a pool that logs one account in but sends it no job', () => {
  it('is down for that account alone: the other accounts keep mining there, no failover and back', async () => {
    await downForOneAccount({ result: true, error: null }, 'after-idle-login');
  });
});

describe('a pool that leaves one share unanswered and answers the next', () => {
  it('that share alone gets 21 after the timeout (counted stale); the connection, its jobs and the other shares stay', async () => {
    let submits = 0;
    const pool = await shapedPool({
      onSubmit(req, conn) {
        if (++submits === 1) return; // skipped, never answered
        conn.say({ id: req.id, result: true, error: null });
      },
    });
    await sp.start(pool, { timings: { upstreamTimeoutMs: 1000 } });
    const m = await sp.miner();
    const job = await waitFor(() => m.jobs().at(-1), { timeoutMs: 10_000 });
    const share = (xn2: string) => findShare('sha256d', job.params, m.extranonce1, xn2, job.difficulty);
    const skipped = m.submit(job.params.jobId, share('0000a1'));
    assert.equal(outcome(await m.submit(job.params.jobId, share('0000a2'))), true);
    assert.equal(outcome(await skipped), 21);
    assert.equal(outcome(await m.submit(job.params.jobId, share('0000a3'))), true);
    assert.equal(pool.connections.length, 1);
    const c = poolCounters();
    assert.deepEqual([c?.accepted, c?.stale, c?.rejected], [2, 1, 0]);
  });
});

describe('a pool that chokes on the session id the proxy resumes with', () => {
  for (const how of ['closes', 'never answers'] as const) {
    it(`${how}: the next attempt subscribes bare (cpuminer's retry), and mining goes on`, async () => {
      const pool = await shapedPool({
        onRequest(req, conn) {
          if (req.method !== 'mining.subscribe' || (req.params as unknown[]).length < 2) return false;
          if (how === 'closes') conn.socket.destroy();
          return true;
        },
      });
      await sp.start(pool, { timings: { reconnectMinMs: 1, reconnectMaxMs: 10, upstreamTimeoutMs: 1000 } });
      const m = await sp.miner();
      await mineOne(m, pool, '0000a1');
      pool.open[0]!.socket.destroy(); // the pool restarts and forgets its sessions
      const bare = await waitFor(
        () =>
          pool.connections.find((c) =>
            c.requests.some((r) => r.method === 'mining.subscribe' && (r.params as unknown[]).length === 0),
          ),
        { what: 'a bare subscribe', timeoutMs: 20_000 },
      );
      const fresh = scriptJob('fresh');
      await waitFor(() => bare.requests.some((r) => r.method === 'mining.authorize'), { timeoutMs: 10_000 });
      bare.say(notifyLine(fresh));
      await waitFor(() => m.jobs().at(-1)?.params.prevhash === fresh.prevhash, { timeoutMs: 10_000 });
      assert.equal(outcome((await mineOne(m, pool, '0000a2')).answer), true);
    });
  }
});

describe('a pool that drops a connection sending anything but subscribe and authorize before its login is done', () => {
  it('(ckpool checks the login off the connection’s thread): the first connection holds', async () => {
    const authorized = new Set<number>();
    const pool = await shapedPool({
      onRequest(req, conn) {
        if (req.method === 'mining.configure') {
          conn.say({ id: req.id, result: { 'version-rolling': false }, error: null });
          return true;
        }
        if (req.method === 'mining.authorize') {
          // The verdict comes a moment later, from another queue.
          setTimeout(() => {
            authorized.add(conn.id);
            conn.say(difficultyLine(DIFF));
            conn.say(notifyLine(scriptJob('j1')));
            conn.say({ id: req.id, result: true, error: null });
          }, 100);
          return true;
        }
        if (req.method === 'mining.subscribe' || authorized.has(conn.id)) return false;
        conn.socket.destroy(); // "Dropping unauthorised client"
        return true;
      },
    });
    await sp.start(pool);
    const m = await sp.miner();
    assert.equal(outcome((await mineOne(m, pool)).answer), true);
    assert.equal(pool.connections.length, 1);
  });
});

describe('a pool that rejects every share', () => {
  const lowDifficulty = (req: ScriptRequest, conn: ScriptConnection) =>
    conn.say({ id: req.id, result: null, error: [23, 'Low difficulty share', null] });
  const xn2 = (i: number) => (0xa000 + i).toString(16).padStart(6, '0');

  it(`${REJECTED_IN_A_ROW_BEFORE_DOWN} in a row over two of its jobs, none accepted: down for the account, and the route mines the next ranked pool`, async () => {
    const rejecting = await shapedPool({ onSubmit: lowDifficulty });
    const next = await shapedPool({ extranonce1: 'e0000002' });
    await sp.start(rejecting, { next });
    const m = await sp.miner();
    for (let i = 0; i < REJECTED_IN_A_ROW_BEFORE_DOWN; i++) {
      if (i === REJECTED_IN_A_ROW_BEFORE_DOWN - 1) {
        const jobs = m.jobs().length;
        rejecting.open[0]!.say(notifyLine(scriptJob('j-next')));
        await waitFor(() => m.jobs().length > jobs, { what: 'the pool’s next job', timeoutMs: 10_000 });
      }
      const { answer, job } = await mineOne(m, rejecting, xn2(i));
      assert.ok(job.params.coinb1.includes('f000000a'));
      assert.equal(outcome(answer), 23, 'each share gets the pool’s own verdict');
    }
    await waitFor(() => m.jobs().at(-1)?.params.coinb1.includes('e0000002'), {
      what: 'a job of the next pool',
      timeoutMs: 10_000,
    });
    const { answer } = await mineOne(m, next, '00b001');
    assert.equal(outcome(answer), true);
    const failover = await waitFor(() => sp.h.reports.switches.find((r) => r.to === 'y:BTC'));
    assert.equal(failover.trigger, 'failover');
    assert.equal(poolCounters()?.rejected, REJECTED_IN_A_ROW_BEFORE_DOWN);
  });

  for (const [name, onSubmit] of [
    ['all on one job (a raised difficulty the pool applies before its next job)', lowDifficulty],
    [
      'many, with one accepted between',
      (req: ScriptRequest, conn: ScriptConnection) =>
        Number(req.id) % REJECTED_IN_A_ROW_BEFORE_DOWN === 0
          ? conn.say({ id: req.id, result: true, error: null })
          : lowDifficulty(req, conn),
    ],
  ] as const) {
    it(`${name}: the route stays`, async () => {
      const pool = await shapedPool({ onSubmit });
      const next = await shapedPool({ extranonce1: 'e0000002' });
      await sp.start(pool, { next });
      const m = await sp.miner();
      for (let i = 0; i < 2 * REJECTED_IN_A_ROW_BEFORE_DOWN; i++) {
        const { job } = await mineOne(m, pool, xn2(i));
        assert.ok(job.params.coinb1.includes('f000000a'));
      }
      sp.h.proxy.tick();
      assert.equal(sp.h.proxy.summary().routes[0]?.target, 'x:BTC');
      assert.equal(sp.h.reports.switches.length, 0);
    });
  }
});

describe('a first-ranked pool that cannot serve at all', () => {
  const cases: [
    string,
    RegExp,
    (t: { after(fn: () => unknown): void }, e: PoolEndpoint) => Promise<PoolEndpoint>,
  ][] = [
    [
      'accepts TCP but never answers the subscribe',
      /handshake timed out/,
      async (t, e) => {
        const silent = await ScriptPool.start(() => {});
        t.after(() => silent.stop());
        return { ...e, port: silent.port };
      },
    ],
    [
      'speaks TLS with a certificate the proxy does not trust (self-signed)',
      /self-signed certificate/,
      async (t, e) => {
        const server = createTlsServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (s) =>
          s.on('error', () => {}),
        );
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        t.after(() => server.close());
        return { ...e, port: (server.address() as AddressInfo).port, tls: true };
      },
    ],
    ['has a host name that does not resolve', /ENOTFOUND/, async (_t, e) => ({ ...e, host: 'pool.invalid' })],
  ];
  for (const [name, cause, endpoint] of cases) {
    it(`${name}: down for every account, with the cause; the miners mine the next ranked pool`, async (t) => {
      const placeholder = await shapedPool();
      const next = await shapedPool({ extranonce1: 'e0000002' });
      await sp.start(placeholder, { next, timings: { failoverAfterS: 1, upstreamTimeoutMs: 500 } });
      const target = sp.h.targets.get('x:BTC')!;
      target.endpoints = [await endpoint(t, target.endpoints[0]!)];
      const m = await sp.miner();
      const { answer, job } = await mineOne(m, next);
      assert.ok(job.params.coinb1.includes('e0000002'));
      assert.equal(outcome(answer), true);
      assert.match(String(poolCounters()?.down), cause);
      assert.equal(placeholder.connections.length, 0);
    });
  }
});

describe('a pool that reconnects while its miners wait for another pool’s first job', () => {
  it('its first job on the new connection reaches them clean, though the pool did not mark it so', async () => {
    const pool = await shapedPool({
      onAuthorize(req, conn, job) {
        conn.say(difficultyLine(DIFF));
        conn.say(notifyLine(conn.id === 1 ? job : { ...job, cleanJobs: false }));
        conn.say({ id: req.id, result: true, error: null });
      },
    });
    const idle = await shapedPool({
      onAuthorize: (req, conn) => conn.say({ id: req.id, result: true, error: null }),
    });
    await sp.start(pool, {
      next: idle,
      timings: { failoverAfterS: 60, reconnectMinMs: 1, reconnectMaxMs: 10 },
    });
    const m = await sp.miner();
    await mineOne(m, pool, '0000a1');
    sp.h.decisions.rank([sp.h.targets.get('y:BTC')!, sp.h.targets.get('x:BTC')!], 'y first');
    await waitFor(() => idle.requests('mining.authorize').length > 0, {
      what: 'the login on y',
      timeoutMs: 10_000,
    });
    const before = m.jobs().length;
    pool.open[0]!.socket.destroy();
    const job = await waitFor(() => m.jobs()[before], {
      what: 'the job of the new connection',
      timeoutMs: 10_000,
    });
    assert.equal(job.params.cleanJobs, true, 'every job before it died with the old connection');
    assert.equal(outcome((await mineOne(m, pool, '0000a2')).answer), true);
  });
});

describe('a miner told to reconnect with a share in flight', () => {
  it('gets the pool’s verdict on it before the proxy ends its socket', async () => {
    const held: { req: ScriptRequest; conn: ScriptConnection }[] = [];
    const roomy = await shapedPool({ onSubmit: (req, conn) => held.push({ req, conn }) });
    // k = 1 and the miner's 3 bytes do not fit a pool of 3: a miner without set_extranonce is told to reconnect.
    const tight = await shapedPool({ extranonce1: 'e0000002', extranonce2Size: 3 });
    const h = await sp.start(roomy, { next: tight });
    const m = await sp.miner('acct.rig1', false);
    const job = await waitFor(() => m.jobs().at(-1), { what: 'a job' });
    const share = findShare(
      'sha256d',
      job.params,
      m.extranonce1,
      '00'.repeat(m.extranonce2Size),
      job.difficulty,
    );
    const answer = m.submit(job.params.jobId, share);
    await waitFor(() => held.length === 1, { what: 'the share at the pool, unanswered' });

    h.decisions.rank([h.targets.get('y:BTC')!, h.targets.get('x:BTC')!], 'y pays more');
    await m.client.nextCall('client.reconnect');
    const { req, conn } = held[0]!;
    conn.say({ id: req.id, result: true, error: null });
    assert.equal(outcome(await answer), true, 'the verdict reached the miner');
    await waitFor(() => m.client.closed, { what: 'the socket ended once answered' });
  });
});
