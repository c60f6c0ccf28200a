// Two aggregators in one process on one PostgreSQL, against the replay server: one ingests, the other stands by;
// when the leader hangs in the middle of an ingest, the standby takes over within one interval, and the hung
// leader's transaction is rolled back by the fencing check when it wakes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Aggregator } from '@smart-mining/aggregator';
import { createDb, type Db, type Queryable, readLease } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { setPath, silentLogger } from '@smart-mining/platform';
import { type ReplayServer, startReplayServer, waitFor } from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig } from './support.ts';

const postgres = testDatabases().find((d) => d.name === 'postgres');
/** Binance's interval: the rhythm of ingests, and the bound on a takeover. */
const INTERVAL_S = 4;
const LEASE_S = 2;
const RENEW_S = 0.5;

/**
 * A database that can be frozen from inside an ingest transaction: once armed, the next statement of a
 * transaction closes the gate, and every statement (renewals too) waits until `resume()`. A hung process, as the
 * database sees it: its transaction open, nothing sent.
 */
function freezable(db: Db) {
  let armed = false;
  let gate: Promise<void> | undefined;
  let open = () => {};
  const pass = async () => {
    if (gate) await gate;
  };
  const gated =
    (q: Queryable, inTransaction: boolean): Queryable['query'] =>
    async (sql, params) => {
      if (armed && inTransaction) {
        armed = false;
        gate = new Promise<void>((resolve) => {
          open = resolve;
        });
      }
      await pass();
      return q.query(sql, params);
    };
  const frozen: Db = {
    ...db,
    query: gated(db, false),
    transaction: (fn) => db.transaction((tx) => fn({ query: gated(tx, true) })),
  };
  return {
    db: frozen,
    hangInNextIngest: () => {
      armed = true;
    },
    isHung: () => gate !== undefined,
    resume: () => {
      gate = undefined;
      open();
    },
  };
}

describe('two aggregators on one PostgreSQL (in process)', { skip: !postgres && 'no DATABASE_URL' }, () => {
  let server: ReplayServer;
  let admin: Db & { url?: string };
  const dbs: Db[] = [];
  const aggregators: Aggregator[] = [];

  before(async () => {
    server = await startReplayServer(0, { now: () => new Date() });
    admin = await postgres!.open();
  });
  after(async () => {
    for (const a of aggregators) await a.stop().catch(() => {});
    for (const db of dbs) await db.close();
    await admin?.close();
    await server?.close();
  });

  const config = () =>
    replayConfig(server, {}, {}, (raw) => {
      for (const s of ['coingecko', 'hashrateno', 'minerstat', 'whattomine', 'nanopool', 'twominers'])
        setPath(raw, ['aggregator', 'sources', s, 'intervalS'], 3600);
      setPath(raw, ['aggregator', 'sources', 'binance', 'intervalS'], INTERVAL_S);
      setPath(raw, ['aggregator', 'jitterS'], 0);
      setPath(raw, ['aggregator', 'lease'], { ttlS: LEASE_S, renewS: RENEW_S });
    });
  const writers = async () =>
    (
      await admin.query<{ aggregator: string }>(
        'SELECT aggregator FROM source_runs WHERE aggregator IS NOT NULL ORDER BY id',
      )
    ).map((r) => r.aggregator);
  const runsOf = async (name: string) => (await writers()).filter((w) => w === name).length;

  it('one ingests; a leader hung mid-ingest is replaced within one interval and its ingest rolled back', async (t) => {
    const a = freezable(await createDb({ databaseUrl: admin.url!, maxConnections: 4 }));
    const dbB = await createDb({ databaseUrl: admin.url!, maxConnections: 4 });
    dbs.push(a.db, dbB);
    const cfg = config();
    const aggA = buildAggregator(cfg, a.db, silentLogger, { fetch: server.fetch, instanceName: 'agg-a' });
    aggregators.push(aggA);
    aggA.start();
    await waitFor(() => aggA.status().lastCycle?.ok, 'a to ingest as the leader');
    const aggB = buildAggregator(cfg, dbB, silentLogger, { fetch: server.fetch, instanceName: 'agg-b' });
    aggregators.push(aggB);
    aggB.start();
    await waitFor(async () => (await runsOf('agg-a')) >= 7, "a's first runs of every source");
    // b stands by through several renewals of a: it never runs a source.
    await new Promise((resolve) => setTimeout(resolve, 3 * RENEW_S * 1000));
    assert.equal(aggB.status().role, 'standby');
    assert.equal(await runsOf('agg-b'), 0);

    a.hangInNextIngest();
    await waitFor(() => a.isHung(), 'a to hang inside its next ingest (the next binance run)');
    const hungAt = performance.now();
    const writtenByA = await runsOf('agg-a');
    await waitFor(() => aggB.status().role === 'leader', 'b to take over');
    const takeoverS = (performance.now() - hungAt) / 1000;
    t.diagnostic(
      `b led ${takeoverS.toFixed(2)} s after a hung (lease ${LEASE_S} s, interval ${INTERVAL_S} s)`,
    );
    assert.ok(takeoverS <= INTERVAL_S, `takeover in ${takeoverS} s, over one interval (${INTERVAL_S} s)`);
    await waitFor(async () => (await runsOf('agg-b')) > 0, 'b to ingest');

    // a wakes: the rest of its ingest runs, its fencing check fails, and the transaction is rolled back.
    a.resume();
    await waitFor(() => aggA.status().lastCycle?.ok === false, "a's ingest to fail its fencing check");
    assert.match(aggA.status().lastCycle!.error!, /no longer holds the ingest lease/);
    await waitFor(() => aggA.status().role === 'standby', 'a to stand by');
    assert.equal(await runsOf('agg-a'), writtenByA, "nothing of a's stale ingest was committed");
    assert.equal((await readLease(admin)).holder, 'agg-b');

    // One writer at a time, never interleaved: a's runs, then b's.
    const order = await writers();
    const switches = order.filter((w, i) => i > 0 && w !== order[i - 1]).length;
    assert.equal(switches, 1, `writers in commit order: ${order.join(' ')}`);

    // b stops: the lease is freed and a (still standing by) leads again at its next try.
    await aggB.stop();
    await waitFor(() => aggA.status().role === 'leader', 'a to lead again after b released the lease');
  });
});
