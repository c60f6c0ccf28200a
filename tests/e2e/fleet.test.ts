// The system as a fleet on one PostgreSQL, every part a real `smart-mining` process against the replay server: two
// aggregators (one leads, one stands by), two APIs, and a proxy given both API URLs, mined by simulated miners on a
// simulated pool declared in the config file. Hang the leader (SIGSTOP), then SIGKILL the next one: each time the
// standby ingests within one interval, and the history has neither a gap nor a cycle written twice. Kill the API
// the proxy's event stream is on: the miners stay connected, decisions come from the other API, shares keep
// flowing. Every share a miner found is answered and accepted by the pool that issued its job.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appendEvent, createToken, type Db, readLease } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import {
  type ReplayServer,
  SIM_DIFFICULTY,
  SimMiner,
  SimPool,
  startReplayServer,
  waitFor,
} from '@smart-mining/testkit';
import { type CliProcess, runCli } from './cli-process.ts';
import { replayProcessEnv } from './support.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');
/**
 * Binance's interval (the other sources run once an hour): the rhythm of ingests. A takeover is lease + renewal
 * + one fetch (2–4 s on a loaded machine), so 6 s leaves room for load.
 */
const INTERVAL_S = 6;
const LEASE_S = 2;
const RENEW_S = 0.5;
/** The pool the operator declares (LTC is priced by the sources), and the simulated pool's job tag behind it. */
const POOL_KEY = 'simfleet:LTC';
const POOL_ID = 'f1f1';
const WORKERS = ['acct.rig1', 'acct.rig2', 'acct.rig3'];

interface AggregatorHealth {
  role: 'leader' | 'standby';
  holder: string;
  lastCycle: { at: string; ok: boolean } | null;
}

interface Aggregator {
  process: CliProcess;
  status: string;
  health(): Promise<AggregatorHealth>;
}

interface Api {
  process: CliProcess;
  url: string;
}

interface RouteSummary {
  target: string | null;
  decision: { at: string | null; error: string | null };
}

const accepted = (m: SimMiner) => m.shares.filter((s) => s.accepted === true).length;

describe('a fleet on one PostgreSQL: two aggregators, two APIs, a proxy given both, miners on a declared pool', {
  skip: !postgres && 'no DATABASE_URL: the fleet test needs a real PostgreSQL shared by several processes',
}, () => {
  let db: Db & { url?: string };
  let server: ReplayServer;
  let dir: string;
  let pool: SimPool;
  let proxy: CliProcess;
  let proxyStatus: string;
  const processes: CliProcess[] = [];
  const aggregators: Aggregator[] = [];
  const apis: Api[] = [];
  const miners: SimMiner[] = [];

  const spawnAggregator = async (env: NodeJS.ProcessEnv): Promise<Aggregator> => {
    const p = runCli(['aggregate'], { ...env, SM_AGGREGATOR_STATUS_PORT: '0' });
    processes.push(p);
    const status = String((await p.waitForLog('aggregator status listening')).url);
    return {
      process: p,
      status,
      health: async () => (await (await fetch(`${status}/health`)).json()) as AggregatorHealth,
    };
  };
  const spawnApi = async (env: NodeJS.ProcessEnv): Promise<Api> => {
    const p = runCli(['api'], { ...env, SM_API_PORT: '0' });
    processes.push(p);
    return { process: p, url: String((await p.waitForLog('API listening')).url) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-fleet-'));
    db = await postgres!.open();
    server = await startReplayServer(0, { now: () => new Date() });
    pool = await SimPool.start({ algorithm: 'scrypt', difficulty: SIM_DIFFICULTY.scrypt, id: POOL_ID });
    // One config file for the whole fleet, as a deployment would share it: the aggregators value the declared
    // pool, the API ranks it, the proxy mines it (and falls back to it until its first decision).
    const env = {
      // A history heartbeat below the interval: every cycle appends a row per coin, so a gap would show.
      ...replayProcessEnv(server, dir, {
        intervalS: INTERVAL_S,
        leaseS: LEASE_S,
        renewS: RENEW_S,
        historyHeartbeatS: 1,
        file: {
          pools: [
            {
              key: POOL_KEY,
              coin: 'LTC',
              algorithm: 'scrypt',
              feeFraction: 0.01,
              urls: [`stratum+tcp://127.0.0.1:${pool.port}`],
            },
          ],
          proxy: {
            id: 'fleet-proxy',
            listeners: [{ algorithm: 'scrypt', host: '127.0.0.1', port: 0, fallbackPool: POOL_KEY }],
            accounts: { acct: { LTC: 'ltc-wallet' } },
            statusPort: 0,
          },
        },
      }),
      DATABASE_URL: db.url,
    };
    const token = (await createToken(db, { name: 'fleet-proxy' })).token;
    // Started together: whichever aggregator takes the lease first leads.
    const [started, served] = await Promise.all([
      Promise.all([spawnAggregator(env), spawnAggregator(env)]),
      Promise.all([spawnApi(env), spawnApi(env)]),
    ]);
    aggregators.push(...started);
    apis.push(...served);
    // The proxy needs no database: only the APIs, and its token.
    proxy = runCli(['proxy', '--api', apis[0]!.url, apis[1]!.url], {
      ...env,
      DATABASE_URL: '',
      SM_PROXY_TOKEN: token,
    });
    processes.push(proxy);
    const listening = await proxy.waitForLog('proxy listening');
    const port = Number(
      String((listening.listeners as string[])[0])
        .split(':')
        .at(-1),
    );
    proxyStatus = String(listening.status);
    miners.push(
      ...(await Promise.all(
        WORKERS.map((username) => SimMiner.start({ host: '127.0.0.1', port, algorithm: 'scrypt', username })),
      )),
    );
  });
  after(async () => {
    for (const m of miners) m.stop();
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited()));
    await pool?.stop();
    await server?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Binance runs in commit order, with the aggregator that wrote each. */
  const binanceRuns = () =>
    db.query<{ aggregator: string; started_at: Date; finished_at: Date }>(
      `SELECT aggregator, started_at, finished_at FROM source_runs WHERE source = 'binance' ORDER BY id`,
    );

  /** Which aggregator leads and which stands by, by their /health. */
  const roles = async () => {
    const healths = await Promise.all(aggregators.map((a) => a.health()));
    assert.deepEqual(healths.map((h) => h.role).sort(), ['leader', 'standby'], JSON.stringify(healths));
    const at = (role: string) => healths.findIndex((h) => h.role === role);
    return {
      leader: { ...aggregators[at('leader')]!, name: healths[at('leader')]!.holder },
      standby: { ...aggregators[at('standby')]!, name: healths[at('standby')]!.holder },
    };
  };
  const firstRunOf = (name: string, after: number) =>
    waitFor(
      async () => (await binanceRuns()).find((r) => r.aggregator === name && r.finished_at.getTime() > after),
      `a binance cycle of ${name}`,
    );
  const route = async () =>
    ((await (await fetch(`${proxyStatus}/summary`)).json()) as { routes: RouteSummary[] }).routes[0];
  /** Every miner gets `n` more shares accepted. */
  const sharesFlow = async (n: number, what: string) => {
    const before = miners.map(accepted);
    await waitFor(() => miners.every((m, i) => accepted(m) >= before[i]! + n), { what });
  };
  const assertStillConnected = () => {
    for (const [i, m] of miners.entries()) {
      assert.equal(m.reconnects.length, 0, `${WORKERS[i]} was reconnected`);
      assert.equal(m.state, 'mining');
    }
  };

  it('miners mine through the proxy on the declared pool, as the API decides', async () => {
    const decided = await waitFor(
      async () => {
        const r = await route();
        return r?.decision.at && !r.decision.error ? r : undefined;
      },
      { what: 'a decision from the API' },
    );
    assert.equal(decided.target, POOL_KEY);
    await sharesFlow(2, 'shares through the proxy');
    assert.ok(
      pool.shares.some((s) => s.accepted && s.worker.startsWith('ltc-wallet')),
      "the pool sees the account's wallet",
    );
  });

  it('a leader that hangs (SIGSTOP) is replaced within one interval; woken, it stands by and writes nothing', async (t) => {
    await waitFor(
      async () => (await Promise.all(aggregators.map((a) => a.health()))).some((h) => h.role === 'leader'),
      'a leader',
    );
    const { leader, standby } = await roles();
    await waitFor(async () => (await binanceRuns()).length >= 3, 'three binance cycles of the leader');

    leader.process.kill('SIGSTOP');
    const hungAt = Date.now();
    const first = await firstRunOf(standby.name, hungAt);
    const takeoverS = (first.finished_at.getTime() - hungAt) / 1000;
    t.diagnostic(`the standby ingested ${takeoverS.toFixed(2)} s after the leader hung`);
    assert.ok(takeoverS <= INTERVAL_S, `took ${takeoverS} s, over one interval (${INTERVAL_S} s)`);
    const writtenByHung = (await binanceRuns()).filter((r) => r.aggregator === leader.name).length;

    leader.process.kill('SIGCONT');
    await waitFor(async () => (await leader.health()).role === 'standby', 'the woken leader to stand by');
    // Two more cycles of the new leader: the woken one had every chance to write, and wrote nothing.
    await waitFor(
      async () => (await binanceRuns()).filter((r) => r.aggregator === standby.name).length >= 3,
      'three cycles of the new leader',
    );
    assert.equal((await binanceRuns()).filter((r) => r.aggregator === leader.name).length, writtenByHung);
    assert.equal((await readLease(db)).holder, standby.name);
  });

  it('SIGKILL the leader: the standby ingests within one interval; no gap, no cycle written twice', async (t) => {
    const { leader, standby } = await roles();
    leader.process.kill('SIGKILL');
    const killedAt = Date.now();
    assert.equal(await leader.process.exited(), null);
    const first = await firstRunOf(standby.name, killedAt);
    const takeoverS = (first.finished_at.getTime() - killedAt) / 1000;
    t.diagnostic(`the standby ingested ${takeoverS.toFixed(2)} s after the leader was killed`);
    assert.ok(takeoverS <= INTERVAL_S, `took ${takeoverS} s, over one interval (${INTERVAL_S} s)`);
    assert.equal((await standby.health()).role, 'leader');
    assert.equal((await readLease(db)).holder, standby.name);
    await waitFor(
      async () => (await binanceRuns()).filter((r) => r.started_at.getTime() > killedAt).length >= 2,
      'a second binance cycle of the new leader',
    );

    const runs = await binanceRuns();
    // No cycle twice: one writer at a time — the first leader, the one that replaced it while it hung, then the
    // first again after the kill — and no two binance runs overlap in time (one fetch per cycle in the fleet).
    const writers = runs.map((r) => r.aggregator);
    const segments = writers.filter((w, i) => i === 0 || w !== writers[i - 1]);
    assert.deepEqual(segments, [standby.name, leader.name, standby.name], writers.join(' '));
    for (let i = 1; i < runs.length; i += 1) {
      assert.ok(runs[i]!.started_at >= runs[i - 1]!.finished_at, `binance runs ${i - 1} and ${i} overlap`);
    }
    // No gap: consecutive cycles at most one interval plus the takeover apart (plus a loaded machine's delay).
    const boundS = INTERVAL_S + LEASE_S + RENEW_S + 2;
    for (let i = 1; i < runs.length; i += 1) {
      const gapS = (runs[i]!.started_at.getTime() - runs[i - 1]!.started_at.getTime()) / 1000;
      assert.ok(
        gapS <= boundS,
        `a ${gapS} s gap between binance cycles ${i - 1} and ${i} (bound ${boundS} s)`,
      );
    }
    // The history those cycles wrote (Binance prices BTC): no gap across either takeover.
    const history = await db.query<{ time: Date }>(
      "SELECT time FROM coin_history WHERE coin = 'BTC' ORDER BY time",
    );
    assert.ok(history.at(-1)!.time.getTime() > killedAt, 'history goes on after the takeover');
    for (let i = 1; i < history.length; i += 1) {
      const gapS = (history[i]!.time.getTime() - history[i - 1]!.time.getTime()) / 1000;
      assert.ok(gapS <= boundS, `a ${gapS} s gap in BTC's history before ${history[i]!.time.toISOString()}`);
    }
    // The proxy's miners did not notice.
    await sharesFlow(1, 'mining goes on through the takeovers');
    assertStillConnected();
  });

  it("kill the API the proxy's event stream is on: the other answers, decides, streams; mining goes on", async (t) => {
    for (const api of apis) assert.equal((await fetch(`${api.url}/health`)).status, 200);
    const streamOn = () =>
      proxy
        .logs()
        .filter((l) => l.msg === 'event stream open')
        .at(-1)?.url;
    const current = await waitFor(() => streamOn(), { what: 'the proxy event stream open' });
    const dead = apis.find((a) => `${a.url}/v1/events` === current);
    assert.ok(dead, `the event stream is on ${current}, none of the APIs`);
    const alive = apis.find((a) => a !== dead)!;

    dead.process.kill('SIGKILL');
    await dead.process.exited();
    const killedAt = Date.now();
    await assert.rejects(fetch(`${dead.url}/health`));
    const coins = await fetch(`${alive.url}/v1/coins`);
    assert.equal(coins.status, 200);
    assert.ok(
      ((await coins.json()) as { coins: unknown[] }).coins.length > 0,
      'the other API serves the market',
    );

    await waitFor(() => streamOn() === `${alive.url}/v1/events`, {
      what: 'the event stream on the other API',
    });
    const streamS = (Date.now() - killedAt) / 1000;
    // A market change after the kill: only the remaining API can bring the proxy its event and its decision.
    await db.transaction((tx) => appendEvent(tx, 'rankings-changed', { cause: 'ingest' }));
    const decided = await waitFor(
      async () => {
        const r = await route();
        return r?.decision.at && Date.parse(r.decision.at) > killedAt && !r.decision.error ? r : undefined;
      },
      { what: 'a decision from the remaining API' },
    );
    const decisionS = (Date.now() - killedAt) / 1000;
    t.diagnostic(
      `after the API was killed: event stream on the other API in ${streamS.toFixed(2)} s, a decision from it in ${decisionS.toFixed(2)} s`,
    );
    assert.equal(decided.target, POOL_KEY);
    await sharesFlow(2, 'mining goes on after the kill');
    assertStillConnected();
  });

  it('every share each miner found was accepted by the pool that issued its job', async () => {
    // Miners keep hashing: the shares sent until now must all be answered (later ones may still be in flight).
    const cutoff = Date.now();
    const sent = () => miners.flatMap((m) => m.shares.filter((s) => s.sentAtMs <= cutoff));
    await waitFor(() => sent().every((s) => s.accepted !== undefined), { what: 'every share sent answered' });
    assert.equal(pool.stats().rejected, 0, JSON.stringify(pool.stats().rejectedByCode));
    for (const [i, m] of miners.entries()) {
      const name = WORKERS[i];
      const mine = m.shares.filter((s) => s.sentAtMs <= cutoff);
      assert.ok(mine.length >= 5, `${name}: only ${mine.length} shares`);
      for (const share of mine) {
        assert.equal(share.accepted, true, `${name}: ${JSON.stringify(share.error)}`);
        assert.equal(share.poolJob?.poolId, POOL_ID, `a share on a job of ${JSON.stringify(share.poolJob)}`);
        assert.ok(
          pool.shares.some(
            (r) =>
              r.accepted &&
              r.jobSeq === share.poolJob!.seq &&
              r.nonce === share.nonce &&
              r.extranonce2.endsWith(share.extranonce2),
          ),
          `${name}: share ${share.nonce} not in the pool's books as accepted`,
        );
      }
    }
  });
});
