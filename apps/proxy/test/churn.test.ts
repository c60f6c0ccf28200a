// Churn on real sockets: thousands of miners coming and going every way a miner can leave, many routes at once,
// reconnect storms. After each run every table of the proxy (connections, per-IP counts, extranonce slots,
// routes, upstreams, jobs, pending submits) returns to its baseline: nothing outlives the miners that made it.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect as connectTcp } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import type { RpcMessage } from '@smart-mining/stratum';
import {
  RawStratumClient,
  SIM_LOAD_DIFFICULTY,
  TEST_TLS_CERT,
  TEST_TLS_KEY,
  waitFor,
} from '@smart-mining/testkit';
import { pino } from 'pino';
import { ApiClient } from '../src/api/api-client.ts';
import { ConfigDirectory } from '../src/api/config-directory.ts';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';
import { testAccount } from './memory-ports.ts';
import { difficultyLine, notifyLine, type ScriptPool, scriptJob } from './script-pool.ts';
import { outcome, shapedPool } from './script-proxy.ts';

let h: Harness | undefined;
/** Every miner connection a test opened: closed before the proxy stops (its server waits for them). */
const clients: RawStratumClient[] = [];
const scriptPools: ScriptPool[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h?.stop();
  h = undefined;
  for (const p of scriptPools.splice(0)) await p.stop();
});

/** A pool at a difficulty where every hash is a share: miners submit any nonce without hashing. */
const loadPool = { poolKey: 'a:BTC', options: { difficulty: SIM_LOAD_DIFFICULTY.sha256d } };

async function start(o: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({
    algorithm: 'sha256d',
    pools: [loadPool],
    ...o,
    timings: { graceS: 1, routeIdleS: 1, ...o.timings },
  });
  return h;
}

const EMPTY = {
  connections: 0,
  addresses: 0,
  slots: 0,
  routes: 0,
  upstreams: 0,
  jobs: 0,
  pendingSubmits: 0,
};

/** Waits until every table is back to empty (routes and upstreams after their idle and grace periods). */
async function backToBaseline(harness: Harness): Promise<void> {
  await waitFor(
    () => {
      const { poolMarks: _, ...sizes } = harness.proxy.sizes();
      return JSON.stringify(sizes) === JSON.stringify(EMPTY);
    },
    { what: 'every table empty', timeoutMs: 20_000 },
  ).catch(() => assert.deepEqual({ ...harness.proxy.sizes(), poolMarks: 0 }, { ...EMPTY, poolMarks: 0 }));
}

async function connect(port: number): Promise<RawStratumClient> {
  const client = await RawStratumClient.connect(port);
  clients.push(client);
  return client;
}

/** Subscribes and authorizes; resolves with the client and the first job's id and extranonce2 size. */
async function login(port: number, username: string, password = 'x') {
  const client = await connect(port);
  const sub = await client.request('mining.subscribe', ['churn/1']);
  const n2 = sub.kind === 'response' ? (sub.result as unknown[])[2] : undefined;
  const auth = await client.request('mining.authorize', [username, password]);
  assert.equal(auth.kind === 'response' && auth.result, true, JSON.stringify(auth));
  const notify = await client.nextCall('mining.notify');
  const jobId = (notify.params as unknown[])[0] as string;
  return { client, jobId, n2: n2 as number };
}

type Leave = (port: number, i: number) => Promise<void>;

/** The ways a miner leaves: after its login or in the middle of it, politely or not, with a share on its way. */
const LEAVES: Record<string, Leave> = {
  async 'clean close'(port, i) {
    const { client } = await login(port, `acct.clean${i}`);
    client.close();
  },
  async reset(port, i) {
    const { client } = await login(port, `acct.reset${i}`);
    client.socket.resetAndDestroy();
  },
  async 'half-open (FIN, still reading)'(port, i) {
    const { client } = await login(port, `acct.half${i}`);
    client.socket.end();
    await waitFor(() => client.closed, { what: 'the proxy closing its side' });
  },
  async 'mid-subscribe'(port) {
    const client = await connect(port);
    client.write('{"id":1,"method":"mining.subscr');
    client.socket.resetAndDestroy();
  },
  async 'mid-authorize'(port, i) {
    const client = await connect(port);
    client.write(
      `{"id":1,"method":"mining.subscribe","params":[]}\n{"id":2,"method":"mining.authorize","params":["acct.mid${i}","x"]}\n`,
    );
    client.socket.resetAndDestroy();
  },
  async 'a share in flight'(port, i) {
    const { client, jobId, n2 } = await login(port, `acct.share${i}`);
    const xn2 = i.toString(16).padStart(2 * n2, '0');
    client.write(
      `${JSON.stringify({ id: 7, method: 'mining.submit', params: [`acct.share${i}`, jobId, xn2, '00000000', '00000000'] })}\n`,
    );
    client.socket.resetAndDestroy();
  },
};

/** Runs `count` miners through `leave`, `parallel` at a time. */
async function churn(port: number, count: number, parallel: number, leave: Leave): Promise<void> {
  for (let from = 0; from < count; from += parallel) {
    await Promise.all(
      Array.from({ length: Math.min(parallel, count - from) }, (_, k) => leave(port, from + k)),
    );
  }
}

/** `perWay` miners leave in each way of LEAVES (50 at a time), every connection closed after each; then the baseline. */
async function leaveEveryWay(harness: Harness, perWay: number): Promise<void> {
  for (const [name, leave] of Object.entries(LEAVES)) {
    await churn(harness.port, perWay, 50, leave);
    await waitFor(() => harness.proxy.sizes().connections === 0, {
      what: `connections closed after ${name}`,
      timeoutMs: 10_000,
    });
  }
  await backToBaseline(harness);
}

describe('churn: every table returns to its baseline', () => {
  it('1200 miners leaving every way (clean, reset, half-open, mid-subscribe, mid-authorize, share in flight)', async () => {
    const harness = await start();
    await leaveEveryWay(harness, 200);
    const pool = harness.pools.get('a:BTC')!;
    assert.ok(pool.shares.length > 0, 'the shares in flight reached the pool');
  });

  it('per-miner upstreams: 600 miners leaving every way, each one’s pool connection closed after the grace period', async () => {
    const harness = await start({ listener: { upstreamMode: 'per-miner' } });
    await leaveEveryWay(harness, 100);
    const pool = harness.pools.get('a:BTC')!;
    assert.ok(pool.shares.length > 0, 'the shares in flight reached the pool');
  });

  it('a route whose miners leave one lane lets go of that lane’s standby connection (its other lanes mine on)', async () => {
    const harness = await start({
      pools: [loadPool, { poolKey: 'b:BTC', options: { difficulty: SIM_LOAD_DIFFICULTY.sha256d } }],
    });
    // 256 slots per lane (prefixBytes 1): the 257th miner of the route opens lane 1, on its target and its standby.
    const miners = [];
    for (let from = 0; from < 257; from += 64) {
      const batch = Array.from({ length: Math.min(64, 257 - from) }, (_, k) =>
        login(harness.port, `acct.lane${from + k}`),
      );
      miners.push(...(await Promise.all(batch)));
    }
    const lanes = (pool: string) =>
      harness.proxy
        .summary()
        .upstreams.filter((u) => u.poolKey === pool)
        .map((u) => u.lane)
        .sort();
    await waitFor(() => lanes('b:BTC').length === 2, { what: 'standby on lanes 0 and 1', timeoutMs: 10_000 });
    assert.deepEqual(lanes('a:BTC'), [0, 1]);
    assert.deepEqual(
      harness.proxy
        .miners()
        .filter((m) => m.lane === 1)
        .map((m) => m.miner),
      ['acct.lane256'],
    );
    // The lane-1 miner is the last one logged in: it leaves, its lane's target connection closes after the grace.
    miners.at(-1)!.client.socket.resetAndDestroy();
    await waitFor(() => lanes('a:BTC').length === 1, {
      what: 'the lane-1 connection to a closed',
      timeoutMs: 10_000,
    });
    await waitFor(() => lanes('b:BTC').length === 1, {
      what: 'the lane-1 standby to b closed',
      timeoutMs: 10_000,
    });
    assert.deepEqual(lanes('b:BTC'), [0]);
    assert.equal(harness.proxy.summary().routes[0]?.miners, 256);
    for (const c of clients.splice(0)) c.close();
    await backToBaseline(harness);
  });

  it('accounts whose login a pool refuses come and go: their pool-down marks go once lapsed', async () => {
    // Pool x refuses every account but acct (wallets it does not know); y takes them all.
    const refusing = await shapedPool({
      onRequest(req, conn) {
        if (req.method !== 'mining.authorize') return false;
        if (String((req.params as unknown[])[0]).startsWith('btcwalletacct.')) return false;
        conn.say({ id: req.id, result: false, error: [24, 'Invalid wallet address', null] });
        return true;
      },
    });
    const next = await shapedPool({ extranonce1: 'e0000002' });
    scriptPools.push(refusing, next);
    const harness = await start({
      pools: [],
      poolPorts: [
        { poolKey: 'x:BTC', port: refusing.port },
        { poolKey: 'y:BTC', port: next.port },
      ],
      timings: { failoverAfterS: 1, downRetryS: 1 },
    });
    const accounts = 40;
    for (let i = 0; i < accounts; i++) harness.directory.accounts.set(`w${i}`, testAccount(`w${i}`, ['BTC']));
    for (let from = 0; from < accounts; from += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const { client } = await login(harness.port, `w${from + k}.rig`);
          // Marked down for this account alone, the route moves to y: the miner leaves once it mines there.
          await waitFor(() => client.messages.some((m) => JSON.stringify(m).includes('e0000002')), {
            what: `w${from + k} on y`,
            timeoutMs: 20_000,
          });
          client.close();
        }),
      );
    }
    assert.ok(harness.proxy.sizes().poolMarks >= accounts, 'one mark per account');
    await backToBaseline(harness);
    await waitFor(() => harness.proxy.sizes().poolMarks === 0, {
      what: 'the lapsed marks gone',
      timeoutMs: 10_000,
    });
  });

  it('miners naming a new profile or hardware each time: the directory keeps a bounded, lapsing set of answers', async () => {
    // An API that knows no hardware at all (every name is a 404), on a real socket.
    const api = createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: `${req.url} not found` } }));
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    let nowMs = Date.now();
    const directory = new ConfigDirectory(
      new ApiClient({ urls: [`http://127.0.0.1:${(api.address() as AddressInfo).port}`] }),
      {
        accounts: { acct: { BTC: 'btcwalletacct' } },
        logger: pino({ level: 'silent' }),
        maxCachedAnswers: 100,
        now: () => nowMs,
      },
    );
    try {
      const harness = await start({ deps: { directory } });
      const refusedWith = async (i: number) => {
        const client = await connect(harness.port);
        await client.request('mining.subscribe', []);
        const answer = await client.request('mining.authorize', [`acct.r${i}`, `hw=device-${i}`]);
        client.close();
        return answer.kind === 'error' ? answer.error.message : JSON.stringify(answer);
      };
      for (let from = 0; from < 300; from += 50) {
        const answers = await Promise.all(Array.from({ length: 50 }, (_, k) => refusedWith(from + k)));
        for (const a of answers) assert.match(a, /unknown hardware/);
        assert.ok(directory.cachedAnswers <= 100, `${directory.cachedAnswers} answers kept`);
      }
      // Past the time an answer is kept: the next question finds the lapsed ones gone.
      nowMs += 10 * 60_000;
      assert.match(await refusedWith(300), /unknown hardware/);
      assert.equal(directory.cachedAnswers, 1);
      await backToBaseline(harness);
    } finally {
      api.close();
      api.closeAllConnections();
    }
  });

  it('a pool that floods jobs, answers no share (only ids it never got) and drops now and then: bounded tables, every share answered', async () => {
    let dropped = 0;
    /** The prevhash of the newest job the pool sent: every miner ends up with it. */
    let newest = '';
    const pool = await shapedPool({
      onAuthorize(req, conn, job) {
        newest = job.prevhash;
        conn.say(difficultyLine(SIM_LOAD_DIFFICULTY.sha256d));
        conn.say(notifyLine(job));
        conn.say({ id: req.id, result: true, error: null });
      },
      onSubmit(req, conn) {
        conn.say({ id: 900_000 + Number(req.id), result: true, error: null });
      },
    });
    scriptPools.push(pool);
    const harness = await start({
      pools: [],
      poolPorts: [{ poolKey: 'x:BTC', port: pool.port }],
      timings: { upstreamTimeoutMs: 1000 },
    });
    const miners = await Promise.all(
      Array.from({ length: 6 }, (_, i) => login(harness.port, `acct.flood${i}`)),
    );
    /** The miner's newest job: [proxy job id, prevhash]. */
    const lastJob = (c: RawStratumClient) => {
      for (let i = c.messages.length - 1; i >= 0; i--) {
        const m = c.messages[i]!;
        if (m.kind === 'notification' && m.method === 'mining.notify') return m.params as string[];
      }
      throw new Error('no job');
    };
    const answers: Promise<RpcMessage>[] = [];
    let id = 0;
    for (let round = 0; round < 12; round++) {
      const jobs = Array.from({ length: 300 }, (_, k) => scriptJob(`r${round}j${k}`, { cleanJobs: false }));
      newest = jobs.at(-1)!.prevhash;
      for (const c of pool.open) c.say(`${jobs.map((j) => JSON.stringify(notifyLine(j))).join('\n')}\n`);
      await waitFor(() => miners.every((m) => lastJob(m.client)[1] === newest), {
        what: `the pool's newest job at the miners (round ${round})`,
        timeoutMs: 20_000,
      });
      for (const [i, m] of miners.entries()) {
        const job = lastJob(m.client);
        for (const n of [1, 2]) {
          id++;
          const xn2 = id.toString(16).padStart(2 * m.n2, '0');
          m.client.write(
            `${JSON.stringify({ id, method: 'mining.submit', params: [`acct.flood${i}`, job[0], xn2, job[7], n.toString(16).padStart(8, '0')] })}\n`,
          );
          answers.push(m.client.answerTo(id, 30_000));
        }
      }
      // Some rounds the pool drops the connection with those shares on their way.
      if (round % 4 === 3) {
        for (const c of pool.open) c.socket.destroy();
        dropped++;
      }
      const sizes = harness.proxy.sizes();
      assert.ok(sizes.jobs <= 8 * sizes.upstreams, `${sizes.jobs} jobs on ${sizes.upstreams} upstreams`);
    }
    // No verdict ever comes from the pool: each share is answered stale (21), by the proxy, never left silent.
    const verdicts = await Promise.all(answers);
    assert.deepEqual(new Set(verdicts.map(outcome)), new Set([21]));
    assert.ok(dropped > 0);
    assert.ok(pool.requests('mining.submit').length > 0, 'shares reached the pool');
    await waitFor(() => harness.proxy.sizes().pendingSubmits === 0, {
      what: 'no share waiting',
      timeoutMs: 10_000,
    });
    const sizes = harness.proxy.sizes();
    assert.ok(sizes.jobs <= 8 * sizes.upstreams, `${sizes.jobs} jobs on ${sizes.upstreams} upstreams`);
    for (const c of clients.splice(0)) c.close();
    await backToBaseline(harness);
  });

  it('a reconnect storm at the per-IP limit: every miner told to reconnect gets back in, the new connection before the old one closes', async () => {
    const limit = 60;
    const harness = await start({
      pools: [
        { poolKey: 'roomy:BTC', options: { difficulty: SIM_LOAD_DIFFICULTY.sha256d, extranonce2Size: 8 } },
        { poolKey: 'tight:BTC', options: { difficulty: SIM_LOAD_DIFFICULTY.sha256d, extranonce2Size: 3 } },
      ],
      listener: { limits: { maxConnectionsPerIp: limit } },
    });
    const first = await Promise.all(
      Array.from({ length: limit }, (_, i) => login(harness.port, `acct.s${i}`)),
    );
    assert.equal(harness.proxy.sizes().connections, limit);
    // Each miner, once told client.reconnect, dials the proxy again and only then lets the old connection go.
    const again = first.map(async ({ client }, i) => {
      await client.nextCall('client.reconnect');
      try {
        return await login(harness.port, `acct.s${i}`);
      } finally {
        client.close();
      }
    });
    // The tight pool leaves no room for their extranonce2_size, and they take no set_extranonce: all told at once.
    harness.decisions.rank([harness.targets.get('tight:BTC')!, harness.targets.get('roomy:BTC')!]);
    const back = await Promise.allSettled(again);
    const refused = back.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 0, String((refused[0] as PromiseRejectedResult | undefined)?.reason));
    await waitFor(() => harness.proxy.sizes().connections === limit, { what: 'the old connections gone' });
    assert.equal(harness.proxy.summary().counters.connectionsRefused['per-ip-limit'] ?? 0, 0);
    // And the limit still holds once the storm is over.
    const over = await connect(harness.port);
    await waitFor(() => over.closed, { what: 'the connection over the limit refused', timeoutMs: 10_000 });
    for (const c of clients.splice(0)) c.close();
    await backToBaseline(harness);
  });

  it('many routes at once (accounts × profiles × hardware) on shared and standby connections: all let go when the miners leave', async () => {
    const second = { poolKey: 'b:BTC', options: { difficulty: SIM_LOAD_DIFFICULTY.sha256d } };
    const harness = await start({ pools: [loadPool, second] });
    const accounts = ['acct', 'ann', 'bob', 'cy'];
    for (const a of accounts) harness.directory.accounts.set(a, testAccount(a, ['BTC']));
    const profiles = ['max-usd-coin', 'max-usd-hashrate', 'max-profit', 'fixed'];
    const hardware = ['antminer-s19', 'bitaxe-gamma', 'cpu'];
    const logins = accounts.flatMap((a) =>
      profiles.flatMap((p) =>
        hardware.flatMap((hw) => [0, 1].map((n) => [`${a}.${p}-${hw}-${n}`, `p=${p},hw=${hw}`])),
      ),
    );
    for (let from = 0; from < logins.length; from += 48) {
      await Promise.all(
        logins.slice(from, from + 48).map(([user, pass]) => login(harness.port, user!, pass)),
      );
    }
    const routes = accounts.length * profiles.length * hardware.length;
    assert.equal(harness.proxy.sizes().routes, routes);
    // One connection per account and lane on the target, one held on the runner-up, however many routes share it.
    await waitFor(
      () => harness.proxy.summary().upstreams.filter((u) => u.standby).length === accounts.length,
      {
        what: 'a standby per account',
        timeoutMs: 10_000,
      },
    );
    assert.equal(harness.proxy.sizes().upstreams, 2 * accounts.length);
    // Half the routes' miners leave, the others switch pools, then everyone goes.
    for (const c of clients.filter((_, i) => i % 2 === 0)) c.close();
    harness.decisions.rank([harness.targets.get('b:BTC')!, harness.targets.get('a:BTC')!]);
    await waitFor(() => harness.proxy.summary().routes.every((r) => r.target === 'b:BTC'), {
      what: 'every route on b',
      timeoutMs: 10_000,
    });
    for (const c of clients.splice(0)) c.close();
    await backToBaseline(harness);
    for (const pool of harness.pools.values()) {
      await waitFor(() => pool.connections.size === 0, {
        what: 'the pool’s connections closed',
        timeoutMs: 10_000,
      });
    }
  });

  it('miners that never read while big jobs fan out: each dropped at the write bound, the reading miner served', async () => {
    const pool = await shapedPool();
    scriptPools.push(pool);
    const harness = await start({
      pools: [],
      poolPorts: [{ poolKey: 'x:BTC', port: pool.port }],
      listener: { limits: { maxWriteBufferBytes: 64 * 1024 } },
    });
    const reader = await login(harness.port, 'acct.reader');
    const deaf = await Promise.all(Array.from({ length: 8 }, (_, i) => login(harness.port, `acct.deaf${i}`)));
    for (const d of deaf) d.client.socket.pause();
    const coinb1 = `${'01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff'}${'ab'.repeat(12_000)}`;
    let sent = 0;
    let newest = '';
    // Bounded: loopback buffers hold a few MB per connection before the proxy's own queue grows.
    for (
      let i = 0;
      i < 4000 && (harness.proxy.summary().counters.closedBy['write-bound'] ?? 0) < deaf.length;
      i++
    ) {
      const job = scriptJob(`big${i}`, { coinb1, cleanJobs: false });
      newest = job.prevhash;
      for (const c of pool.open) c.say(notifyLine(job));
      sent++;
      if (i % 20 === 19) {
        await waitFor(() => JSON.stringify(reader.client.messages.at(-1) ?? '').includes(newest), {
          what: 'the reader keeping up',
          timeoutMs: 10_000,
        });
      }
    }
    await waitFor(() => harness.proxy.summary().counters.closedBy['write-bound'] === deaf.length, {
      what: `every deaf miner dropped (${sent} jobs sent)`,
      timeoutMs: 10_000,
    });
    await waitFor(() => harness.proxy.sizes().connections === 1, { what: 'only the reader left' });
    assert.equal(reader.client.closed, false);
    for (const c of clients.splice(0)) c.close();
    await backToBaseline(harness);
  });

  it('TLS connections that never finish their handshake are dropped after handshakeTimeoutS, like any other', async () => {
    const harness = await start({
      listener: { tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, limits: { handshakeTimeoutS: 1 } },
    });
    // Plain TCP toward the TLS listener, never a ClientHello: the proxy has no session for them yet.
    const sockets = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const socket = connectTcp({ host: '127.0.0.1', port: harness.port });
        socket.on('error', () => {});
        await once(socket, 'connect');
        return socket;
      }),
    );
    try {
      await waitFor(() => sockets.every((s) => s.closed), {
        what: 'the silent connections closed by the proxy',
        timeoutMs: 15_000,
      });
    } finally {
      for (const s of sockets) s.destroy();
    }
    await backToBaseline(harness);
  });
});
