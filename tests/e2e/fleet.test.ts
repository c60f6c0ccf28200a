// The system as a fleet on one PostgreSQL, every part a real `smart-mining` process against the replay server:
// two aggregators (one leads, one stands by) and two APIs. Hang the leader (SIGSTOP), then SIGKILL the next one:
// each time the standby ingests within one interval, and the history has neither a gap nor a cycle written twice.
// Kill an API: the other still answers. (A proxy given two APIs, one killed: fleet-proxy.test.ts.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, readLease } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { type ReplayServer, startReplayServer, waitFor } from '@smart-mining/testkit';
import { type CliProcess, runCli } from './cli-process.ts';
import { replayProcessEnv } from './support.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');
/** Binance's interval (the other sources run once an hour): the rhythm of ingests. */
const INTERVAL_S = 4;
const LEASE_S = 2;
const RENEW_S = 0.5;

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

describe('a fleet on one PostgreSQL: two aggregators, two APIs', {
  skip: !postgres && 'no DATABASE_URL: the fleet test needs a real PostgreSQL shared by several processes',
}, () => {
  let db: Db & { url?: string };
  let server: ReplayServer;
  let dir: string;
  const processes: CliProcess[] = [];
  const aggregators: Aggregator[] = [];
  const apis: { process: CliProcess; url: string }[] = [];

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
  const spawnApi = async (env: NodeJS.ProcessEnv) => {
    const p = runCli(['api'], { ...env, SM_API_PORT: '0' });
    processes.push(p);
    return { process: p, url: String((await p.waitForLog('API listening')).url) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-fleet-'));
    db = await postgres!.open();
    server = await startReplayServer(0, { now: () => new Date() });
    const env = {
      // A history heartbeat below the interval: every cycle appends a row per coin, so a gap would show.
      ...replayProcessEnv(server, dir, {
        intervalS: INTERVAL_S,
        leaseS: LEASE_S,
        renewS: RENEW_S,
        historyHeartbeatS: 1,
      }),
      DATABASE_URL: db.url,
    };
    // Started together, as a deployment would: whichever takes the lease first leads.
    aggregators.push(...(await Promise.all([spawnAggregator(env), spawnAggregator(env)])));
    apis.push(...(await Promise.all([spawnApi(env), spawnApi(env)])));
  });
  after(async () => {
    for (const p of processes) p.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited()));
    await server?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Binance runs in commit order, with the aggregator that wrote each. */
  const binanceRuns = () =>
    db.query<{ aggregator: string; started_at: Date; finished_at: Date }>(
      `SELECT aggregator, started_at, finished_at FROM source_runs WHERE source = 'binance' ORDER BY id`,
    );

  /** Which aggregator leads and which stands by, by their /health (a hung one cannot answer: `known` says). */
  const roles = async (known?: Record<string, 'leader' | 'standby'>) => {
    const healths = await Promise.all(aggregators.map((a) => a.health()));
    assert.deepEqual(healths.map((h) => h.role).sort(), ['leader', 'standby'], JSON.stringify(known));
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
  });

  it('kill one API: the other still answers', async () => {
    const [first, second] = apis;
    for (const api of apis) assert.equal((await fetch(`${api!.url}/health`)).status, 200);
    first!.process.kill('SIGKILL');
    await first!.process.exited();
    await assert.rejects(fetch(`${first!.url}/health`));
    const coins = await fetch(`${second!.url}/v1/coins`);
    assert.equal(coins.status, 200);
    const body = (await coins.json()) as { coins: unknown[] };
    assert.ok(body.coins.length > 0, 'the remaining API answers with the market');
  });
});
